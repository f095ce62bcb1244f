// Builds the application exactly as it serves: used by main.ts and by the e2e suites.
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { Logger } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppModule } from './app.module.js';
import { ClientsService } from './clients/clients.service.js';
import type { AppConfig } from './config/app-config.js';
import { FastApiExceptionFilter } from './common/fastapi-exception.filter.js';
import { FastApiValidationPipe } from './common/fastapi-validation.pipe.js';
import { corsForOrigins, VARY_ORIGIN } from './common/cors.js';
import { closeGently } from './common/lingering-close.js';
import { MULTIPART_LIMITS, multipartValues, readsMultipart, refuseUnreadBodies } from './common/multipart-values.js';
import { RouteTable } from './common/route-table.js';
import { Metrics } from './observability/metrics.js';
import { logRequest, requestId, requestLineLogger, routeOf } from './observability/request-logging.js';
import { securityHeaders } from './common/security-headers.js';
import { registerDocsClient, setUpOpenApi } from './openapi.js';
import { refuseFloodedAddresses } from './throttle/flooded-address.js';
import { LoginThrottle } from './throttle/login-throttle.js';

/** What Node reports before a request reaches Fastify, and the answer each gets. */
function clientErrorAnswer(code: string | undefined): [number, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large'];
    // Headers or body not all arrived within HEADERS_TIMEOUT_SECONDS / REQUEST_TIMEOUT_SECONDS.
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout'];
    default:
      return [400, 'Bad Request'];
  }
}

/**
 * Node answers some requests before Fastify routes them (headers over 16 KB, bad framing, a request
 * that took too long to arrive); this writes those answers as `{"detail": …}` too, without the body
 * when the request was a HEAD, and then closes the connection, which frees whatever the request
 * held (a half-read body, say). When an answer has already begun on this connection, nothing more
 * can be written: the connection is only closed.
 */
function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, text] = clientErrorAnswer(error.code);
  const body = JSON.stringify({ detail: text });
  // Node hands over the bytes it could not parse; they start with the request line.
  const isHead = Buffer.isBuffer(error.rawPacket) && error.rawPacket.toString('latin1', 0, 5) === 'HEAD ';
  // A client that does not read its answer cannot keep the connection open for long either.
  const giveUp = setTimeout(() => socket.destroy(), 5_000).unref();
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${isHead ? '' : body}`,
    () => {
      clearTimeout(giveUp);
      socket.destroy();
    },
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

/** How often Node closes connections whose headers or request are late: a timeout fires at most this much late. */
const CONNECTIONS_CHECKING_INTERVAL_MS = 500;

export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Slow clients: a request must arrive whole in time, and an idle connection does not stay.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    http: {
      headersTimeout: config.headersTimeoutSeconds * 1000,
      requestTimeout: config.requestTimeoutSeconds * 1000,
      // Node looks for late requests only this often (every 30 s by default).
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
    },
    routerOptions: { ignoreTrailingSlash: true },
    clientErrorHandler: answerClientError,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    genReqId: requestId,
    frameworkErrors: answerFrameworkError,
  });
  // Every answer, errors included, carries the security headers, `Vary: Origin` (see common/cors.ts)
  // and the request id.
  const headers = { ...securityHeaders(config), ...VARY_ORIGIN };
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('X-Request-ID', request.id);
    done();
  });
  // Connections beyond the cap are closed as soon as they are accepted.
  adapter.getInstance().server.maxConnections = config.maxConnections;
  const routes = new RouteTable();
  adapter.getInstance().addHook('onRoute', (route) => routes.add(route.method, route.url));
  // Multipart is read at POST /token only (where the OpenAPI document declares it), with limits sized
  // to its form; anywhere else the body is refused before it is read, as is any body declared over
  // the limit.
  await adapter.getInstance().register(multipart, { limits: MULTIPART_LIMITS });
  // Cookies are written by the pages of GET /authorize, which read them when they need them
  // (`hook: false`): no other request pays for parsing its Cookie header.
  await adapter.getInstance().register(cookie, { hook: false });
  adapter.getInstance().addHook('onRequest', refuseUnreadBodies(config.bodyLimitBytes));
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

  // Nest's start-up logs (modules, routes, "successfully started") stay buffered, through useLogger,
  // until the caller flushes them (app.flushLogs()): main.ts does once the server listens, so that a
  // start-up that fails prints its one line alone. A failure is thrown to the caller, not exited on.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  adapter.getInstance().addHook('preHandler', refuseFloodedAddresses(app.get(LoginThrottle)));
  const metrics = app.get(Metrics);
  const logger = requestLineLogger(PinoLogger.root);
  adapter.getInstance().addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
    logRequest(logger, request, reply);
    done();
  });
  app.useGlobalFilters(new FastApiExceptionFilter(routes));
  app.useGlobalPipes(new FastApiValidationPipe());
  // CORS for CORS_ORIGINS and for the pages of registered public clients (single-page apps calling
  // /token and the API with bearer tokens). No credentials: cookies never go along cross-origin.
  const listedOrigins = new Set(config.corsOrigins);
  const clients = app.get(ClientsService);
  const cors = await corsForOrigins(adapter.getInstance(), {
    origin: (origin: string | undefined, allow: (error: Error | null, allowed: boolean) => void) => {
      if (origin === undefined) return allow(null, false);
      if (listedOrigins.has(origin)) return allow(null, true);
      clients.browserOrigins().then(
        (origins) => allow(null, origins.has(origin)),
        // The database away: no CORS answer, as for an origin nobody registered.
        () => allow(null, false),
      );
    },
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    maxAge: 600,
    // An OPTIONS request from an allowed origin without Access-Control-Request-Method is answered
    // as a preflight, not with the plugin's text/plain 400.
    strictPreflight: false,
  });
  adapter.getInstance().addHook('onRequest', cors);
  setUpOpenApi(app, config);
  await registerDocsClient(app, config).catch((error: Error) => bootstrapLogger.warn(`The API docs' client could not be registered: ${error.message}`));
  return app;
}

export const bootstrapLogger = new Logger('Bootstrap');
