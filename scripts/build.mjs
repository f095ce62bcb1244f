// `npm run build`: src/ compiled into dist/ (the TypeScript compiler, tsconfig.build.json), then
// dist/main.js bundled into dist/server.js (bundle.mjs). With --if-stale (`npm run cli`, `npm run
// bench`) it builds only when an input changed since the last build, so an unchanged tree costs none.
//
// A server or a CLI may be running from dist/ meanwhile, loading modules as it goes. So dist/ is never
// emptied and no file in it is ever half-written: an output is written only when its content changed,
// under a temporary name renamed over the old file (a reader gets one or the other, whole). Files that
// no source produces any more are removed last, once the build has succeeded; a failed build leaves
// dist/ as it was. Builds take turns (dist/.build-lock), so two never interleave their writes.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));

const DIST = resolve('dist');
const SERVER = join(DIST, 'server.js');
/** Created when a build starts and renamed to STAMP when it succeeds: an input changed since is newer. */
const NEXT_STAMP = join(DIST, '.build-stamp.next');
const STAMP = join(DIST, '.build-stamp');
/** Holds the pid of the build in progress. */
const LOCK = join(DIST, '.build-lock');

/** What the build reads, besides node_modules (which package-lock.json stands for). */
function inputs() {
  const tsconfigs = readdirSync('.').filter((name) => /^tsconfig.*\.json$/.test(name));
  return ['src', 'package.json', 'package-lock.json', ...tsconfigs, 'scripts/build.mjs', 'scripts/bundle.mjs'];
}

/** The latest change to an input. Directories count, so a source removed or renamed does too; unit specs are not built. */
function latestInputChange() {
  let latest = 0;
  const visit = (path) => {
    if (path.endsWith('.spec.ts')) return;
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return;
    latest = Math.max(latest, stats.mtimeMs);
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  inputs().forEach(visit);
  return latest;
}

function isStale() {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  // The file system stamps the inputs and the stamp with one coarse clock: a change within the
  // stamp's own tick may have come after the build read that input, so it counts.
  return !stamp || !existsSync(SERVER) || latestInputChange() >= stamp.mtimeMs;
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The pid in the lock; 0, which counts as running (look again shortly), while it is being written or once it is gone. */
function lockHolder() {
  try {
    return Number(readFileSync(LOCK, 'utf8')) || 0;
  } catch {
    return 0;
  }
}

/** Waits for a build in progress to finish; a lock whose process is gone was left by a build killed mid-way. */
async function takeLock() {
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (isRunning(lockHolder())) await new Promise((done) => setTimeout(done, 200));
    else rmSync(LOCK, { force: true });
  }
}

/** src/ compiled as `tsc -p tsconfig.build.json` does, into memory: output path → content. */
async function compile() {
  const { default: ts } = await import('typescript');
  const config = ts.getParsedCommandLineOfConfigFile('tsconfig.build.json', undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
  const outputs = new Map();
  const emitted = program.emit(undefined, (path, text, byteOrderMark) => outputs.set(resolve(path), byteOrderMark ? `\uFEFF${text}` : text));
  const diagnostics = ts.sortAndDeduplicateDiagnostics([...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]);
  if (diagnostics.length === 0) return outputs;
  const host = { getCurrentDirectory: () => process.cwd(), getCanonicalFileName: (name) => name, getNewLine: () => '\n' };
  const format = process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stderr.write(`${format(diagnostics, host)}\nFound ${diagnostics.length} error(s); dist/ is left as it was.\n`);
  return undefined;
}

/** Puts `content` at `path` whole, in one rename, unless it is there already. */
function writeIfChanged(path, content) {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  if (existsSync(path) && readFileSync(path).equals(data)) return;
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** Removes what is under `dir` and not in `produced` (and folders left empty); returns whether `dir` is empty. */
function removeAllBut(dir, produced) {
  let kept = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && removeAllBut(path, produced)) rmdirSync(path);
    else if (!entry.isDirectory() && !produced.has(path)) rmSync(path, { force: true });
    else kept += 1;
  }
  return kept === 0;
}

/** Whether it built: false when the compiler refused the sources. */
async function build() {
  rmSync(NEXT_STAMP, { force: true });
  writeFileSync(NEXT_STAMP, '');
  const compiled = await compile();
  if (!compiled) return false;
  for (const [path, text] of compiled) writeIfChanged(path, text);
  const { bundleServer } = await import('./bundle.mjs');
  writeIfChanged(SERVER, await bundleServer());
  removeAllBut(DIST, new Set([...compiled.keys(), SERVER, NEXT_STAMP, STAMP, LOCK]));
  renameSync(NEXT_STAMP, STAMP);
  return true;
}

const onlyIfStale = process.argv.includes('--if-stale');
if (!onlyIfStale || isStale()) {
  mkdirSync(DIST, { recursive: true });
  await takeLock();
  try {
    // The build this one waited for may have brought dist/ up to date.
    if ((!onlyIfStale || isStale()) && !(await build())) process.exitCode = 2;
  } finally {
    rmSync(NEXT_STAMP, { force: true });
    rmSync(LOCK, { force: true });
  }
}
