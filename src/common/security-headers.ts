// Security headers on every answer, errors included, as helmet writes them. The policy lets Swagger
// UI and ReDoc run (their scripts are files of this origin; both use inline styles) and nothing else.
//
// The headers that only mean something over HTTPS are sent only when users reach the service over
// HTTPS (PUBLIC_URL). Over plain HTTP, `upgrade-insecure-requests` sends the pages' own scripts to an
// https:// address nobody answers (the docs opened as http://host:8000/docs were blank), and a
// browser ignores Strict-Transport-Security and, on an origin that is not loopback,
// Cross-Origin-Opener-Policy and Origin-Agent-Cluster (Chromium logs an error for the one and a
// warning for the other).
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config.js';

export type SecurityHeadersConfig = Pick<AppConfig, 'behindTls'>;

export function helmetMiddleware({ behindTls }: SecurityHeadersConfig): ReturnType<typeof helmet> {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        // helmet's default is on; null leaves the directive out.
        upgradeInsecureRequests: behindTls ? [] : null,
      },
    },
    strictTransportSecurity: behindTls,
    crossOriginOpenerPolicy: behindTls,
    originAgentCluster: behindTls,
  });
}

/**
 * The headers helmet sets, read once from a stand-in response: with no nonce or per-request
 * directive they are the same for every request, and setting them as one object costs a fraction
 * of running the middleware (eleven `setHeader` calls, each validated) on every request.
 */
export function securityHeaders(config: SecurityHeadersConfig): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmetMiddleware(config)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously');
  return Object.freeze(headers);
}
