// Start-up: the settings (and the service's discovery document), then the application on
// 127.0.0.1:PORT. A setting that is missing or a service that cannot be reached stops it in one line.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { DetailFilter } from './detail.filter.js';
import { loadSettings } from './settings.js';

try {
  const settings = await loadSettings(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.with(settings), new FastifyAdapter(), { logger: ['error', 'warn'] });
  app.useGlobalFilters(new DetailFilter());
  app.enableShutdownHooks();
  await app.listen({ port: settings.port, host: '127.0.0.1' });
  console.log(`Listening on http://127.0.0.1:${settings.port}, trusting the tokens of ${settings.issuer}`);
} catch (error) {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
