import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { bootstrapLogger, createApp } from './app.js';
import { ConfigError, loadConfig } from './config/app-config.js';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const app = await createApp(config);
  if (config.secretKeyGenerated) {
    bootstrapLogger.warn('SECRET_KEY is not set: using a random key, so tokens will not survive a restart');
  }
  await app.listen({ port: config.port, host: config.host });
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

try {
  await main();
} catch (error) {
  // A setting the operator must fix: one line naming it, no stack.
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Configuration error: ${error.message}\n`);
  process.exit(1);
}
