// `--default-node-env=development`, which `npm start` and `npm run cli` pass: the laptop commands
// run in development, while a NODE_ENV from the environment or .env still wins. Without the flag,
// an unset NODE_ENV means production (app-config.ts).
const FLAG = '--default-node-env=';

/** The flag's value, removed from `argv` (so that a command parser never sees it); undefined without it. */
export function takeDefaultNodeEnv(argv: string[]): string | undefined {
  const index = argv.findIndex((argument, position) => position >= 2 && argument.startsWith(FLAG));
  if (index === -1) return undefined;
  const [flag] = argv.splice(index, 1);
  return flag.slice(FLAG.length);
}

/** `env` with NODE_ENV set to `fallback` when it is unset or blank. */
export function withDefaultNodeEnv<Env extends Record<string, string | undefined>>(env: Env, fallback: string | undefined): Env {
  return fallback === undefined || env.NODE_ENV?.trim() ? env : { ...env, NODE_ENV: fallback };
}
