// The admin CLI: `node dist/cli/main.js COMMAND …` (`npm run cli -- COMMAND …`). The server's
// configuration (environment, then .env) and database; never the HTTP server, and no SECRET_KEY,
// as it signs no tokens, but for rotate-signing-key, which stores a key encrypted under it. `npm run cli` runs it in development unless NODE_ENV is set, as `npm start`
// runs the server, so that both agree on whether mail is logged (development) or needs SMTP_URL.
// Exit status: 0 done; 1 refused or failed, with one line on stderr saying why; 2 usage error.
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { HttpException } from '@nestjs/common';
import { CommandFactory } from 'nest-commander';
import { describeRefusal } from '../common/http-error.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { takeDefaultNodeEnv, withDefaultNodeEnv } from '../config/default-node-env.js';
import { CliModule } from './cli.module.js';
import { CommandRefused } from './command-refused.js';

/** The commands that handle signing keys, and so need SECRET_KEY (checked as the server checks it). */
const KEY_COMMANDS = new Set(['rotate-signing-key']);

const DONE = 0;
const REFUSED = 1;
const USAGE = 2;

/** commander's own errors: it has already printed them (or the help asked for). */
function isCommanderExit(error: unknown): error is Error & { exitCode: number } {
  return error instanceof Error && error.name === 'CommanderError';
}

function reason(error: unknown): string {
  if (error instanceof ConfigError) return `Configuration error: ${error.message}`;
  if (error instanceof CommandRefused) return error.message;
  // The rules the services apply for the API (a name taken meanwhile, a user deleted meanwhile).
  if (error instanceof HttpException && error.getStatus() < 500) return describeRefusal(error);
  if (error instanceof Error) return `Error: ${error.message || (error as NodeJS.ErrnoException).code || error.name}`;
  return `Error: ${String(error)}`;
}

function exitStatus(error: unknown): number {
  if (isCommanderExit(error)) return error.exitCode === 0 ? DONE : USAGE;
  process.stderr.write(`${reason(error)}\n`);
  return REFUSED;
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // Taken out of argv before commander reads it.
  const env = withDefaultNodeEnv(process.env, takeDefaultNodeEnv(process.argv));
  const command = process.argv.slice(2).find((argument) => !argument.startsWith('-'));
  const config = loadConfig(env, { signsTokens: KEY_COMMANDS.has(command ?? ''), serves: false });
  let status = DONE;
  await CommandFactory.run(CliModule.forRoot(config), {
    logger: false,
    abortOnError: false,
    serviceErrorHandler: (error) => {
      status = exitStatus(error);
    },
  });
  return status;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.exitCode = exitStatus(error);
}
