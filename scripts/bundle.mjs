// `npm run build`, second step (scripts/build.mjs writes it): dist/main.js (the TypeScript output)
// and the packages it imports, bundled into dist/server.js, which is what `npm run start:prod` and
// the container run. Node 20 resolves and loads ESM module by module: the bundle starts about twice
// as fast (docs/benchmarks.md).
//
// Left outside the bundle, loaded from node_modules at run time:
// - native addons, packages that read their own files (by __dirname) or serve them, and those whose
//   source is not ASCII;
// - whatever is not installed: the optional drivers and integrations that TypeORM and Nest load
//   only when configured, each behind a try or a dynamic import.
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const OUTSIDE = [
  'argon2',
  'bcrypt',
  'better-sqlite3',
  'pg',
  'ioredis',
  'swagger-ui-dist',
  // @nestjs/typeorm requires it by name at run time (for its Connection export): bundled as well, it
  // would be loaded twice.
  'typeorm',
  // Regular expressions with non-ASCII characters, which esbuild writes as they are: one such
  // character makes V8 hold the whole bundle's source as UTF-16, twice the memory.
  'validator',
  'ansis',
];

const notInstalledStaysOutside = {
  name: 'not-installed-stays-outside',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
      if (!importer || path.startsWith('node:')) return undefined;
      try {
        createRequire(importer).resolve(path);
        return undefined;
      } catch {
        return { path, external: true };
      }
    });
  },
};

const OPTIONS = {
  entryPoints: ['dist/main.js'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: OUTSIDE,
  plugins: [notInstalledStaysOutside],
  // CommonJS packages inside an ES module: `require` for their own dynamic loads (TypeORM's driver),
  // and `__dirname` and `__filename`, which then name dist/. The bundled code that uses them (pino and
  // its thread-stream) does so only for log transports, which this service does not configure.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { dirname as __pathDirname } from 'node:path';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      'const __dirname = __pathDirname(__filename);',
    ].join('\n'),
  },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  logLevel: 'warning',
};

/** dist/server.js's content; writing it is build.mjs's (in place of the old file, at once). */
export async function bundleServer() {
  const {
    outputFiles: [server],
  } = await build({ ...OPTIONS, write: false });
  // A guard for the note on OUTSIDE: a new dependency with such a character fails the build.
  const at = server.contents.findIndex((byte) => byte > 0x7f);
  if (at !== -1) {
    throw new Error(`dist/server.js would not be ASCII at byte ${at}: list the package it comes from in OUTSIDE (scripts/bundle.mjs)`);
  }
  return server.contents;
}
