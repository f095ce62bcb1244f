import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { bootstrapLogger, createApp } from './app.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { takeDefaultNodeEnv, withDefaultNodeEnv } from './config/default-node-env.js';

let config: AppConfig | undefined;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  config = loadConfig(withDefaultNodeEnv(process.env, takeDefaultNodeEnv(process.argv)));
  const app = await createApp(config);
  if (config.secretKeyGenerated) {
    bootstrapLogger.warn('SECRET_KEY is not set: using a random key, so tokens will not survive a restart');
  }
  await app.listen({ port: config.port, host: config.host });
  // Started: what start-up logged on the way, held until now (see createApp), goes out.
  app.flushLogs();
  bootstrapLogger.log(`Listening on http://${config.host}:${config.port} (docs at /docs)`);
  // Graceful shutdown: stop accepting, let in-flight requests finish, close the database, exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      bootstrapLogger.log(`${signal}: finishing in-flight requests, then stopping`);
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          bootstrapLogger.error(`Shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
    });
  }
}

/** A failed start-up the operator can fix, in one line saying what to fix; undefined for any other. */
function refusal(error: unknown): string | undefined {
  if (error instanceof ConfigError) return `Configuration error: ${error.message}`;
  if (!(error instanceof Error)) return undefined;
  const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (code === 'EADDRINUSE') return `Port ${port} on ${address} is in use: stop what listens there, or set PORT or HOST`;
  if (code === 'EACCES' && port !== undefined) return `Port ${port} on ${address} is not allowed to this user: set PORT to 1024 or above`;
  if (code === 'EADDRNOTAVAIL') return `HOST ${address} is not an address of this machine`;
  return undefined;
}

try {
  await main();
} catch (error) {
  // One line, and nothing that start-up logged before it. At LOG_LEVEL=debug or trace, the held logs
  // (how far start-up got) come first, and an unexpected error's stack after the line.
  const verbose = config?.logLevel === 'debug' || config?.logLevel === 'trace';
  if (verbose) Logger.flush();
  const known = refusal(error);
  const message = error instanceof Error ? error.message || error.name : String(error);
  process.stderr.write(`${known ?? `Start-up failed: ${message}`}\n`);
  if (verbose && !known && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}
