// Builds the application exactly as it serves: used by main.ts and by the e2e suites.
import multipart from '@fastify/multipart';
import { Logger } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { FastApiExceptionFilter } from './common/fastapi-exception.filter.js';
import { FastApiValidationPipe } from './common/fastapi-validation.pipe.js';
import { closeGently } from './common/lingering-close.js';
import { MULTIPART_LIMITS, multipartValues, readsMultipart, refuseMisplacedMultipart } from './common/multipart-values.js';
import { RouteTable } from './common/route-table.js';
import { Metrics } from './observability/metrics.js';
import { logRequest, requestId, requestLineLogger, routeOf } from './observability/request-logging.js';
import { securityHeaders } from './common/security-headers.js';
import { setUpOpenApi } from './openapi.js';

/**
 * Node answers some malformed requests (headers over 16 KB, bad framing) before Fastify routes them;
 * this writes those answers as `{"detail": …}` too, without the body when the request was a HEAD.
 */
function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (!socket.writable) return;
  const [status, text] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
  const body = JSON.stringify({ detail: text });
  // Node hands over the bytes it could not parse; they start with the request line.
  const isHead = Buffer.isBuffer(error.rawPacket) && error.rawPacket.toString('latin1', 0, 5) === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${isHead ? '' : body}`,
  );
}

/**
 * The router refuses a path it cannot decode (`/users/%E0%A4%A`: 400) and a path parameter longer
 * than its limit (414) before any hook or filter runs, in Fastify's own shape with the path echoed;
 * this answers them as `{"detail": …}` too.
 */
function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.code(status).send({ detail: STATUS_CODES[status] ?? 'Bad Request' });
}

export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
    clientErrorHandler: answerClientError,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    genReqId: requestId,
    frameworkErrors: answerFrameworkError,
  });
  // Every answer, errors included, carries the security headers and the request id.
  const headers = securityHeaders();
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('X-Request-ID', request.id);
    done();
  });
  const routes = new RouteTable();
  adapter.getInstance().addHook('onRoute', (route) => routes.add(route.method, route.url));
  // Multipart is read at POST /token only (where the OpenAPI document declares it), with limits sized
  // to its form; anywhere else the body is refused before it is read.
  await adapter.getInstance().register(multipart, { limits: MULTIPART_LIMITS });
  adapter.getInstance().addHook('onRequest', refuseMisplacedMultipart(config.bodyLimitBytes));
  // A callback hook, not an async one: most requests are not multipart, and need no promise here.
  adapter.getInstance().addHook('preValidation', (request, reply, done) => {
    if (!readsMultipart(request)) return done();
    multipartValues(request, config.bodyLimitBytes).then(
      (values) => {
        request.body = values;
        done();
      },
      (error: Error) => {
        // The rest of a refused body is not worth reading.
        closeGently(reply);
        done(error);
      },
    );
  });

  // Once closing starts, every answer still going out ends its connection, so keep-alive clients
  // (a balancer, say) do not hold the shutdown open until their connections time out.
  let closing = false;
  adapter.getInstance().addHook('preClose', async () => {
    closing = true;
  });
  adapter.getInstance().addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('Connection', 'close');
    done(null, payload);
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true });
  app.useLogger(app.get(NestPinoLogger));
  const metrics = app.get(Metrics);
  const logger = requestLineLogger(PinoLogger.root);
  adapter.getInstance().addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
    logRequest(logger, request, reply);
    done();
  });
  app.useGlobalFilters(new FastApiExceptionFilter(routes));
  app.useGlobalPipes(new FastApiValidationPipe());
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, methods: ['GET', 'POST', 'PATCH', 'DELETE'], maxAge: 600 });
  }
  setUpOpenApi(app);
  return app;
}

export const bootstrapLogger = new Logger('Bootstrap');
