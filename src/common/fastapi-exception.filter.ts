// The one place where failures become HTTP answers: every error leaves as `{"detail": …}`, the
// shape FastAPI clients read, including the ones Fastify raises before a route runs.
import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../database/errors.js';
import { HttpErrorWithHeaders } from './http-error.js';
import { validationIssue } from './request-validation.js';
import type { RouteTable } from './route-table.js';

interface ErrorAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * The headers an error answer leaves with: its own, and on a 401 the challenge RFC 6750 requires
 * (`WWW-Authenticate: Bearer`) unless it brought one.
 */
export function answerHeaders(status: number, headers: Record<string, string>): Record<string, string> {
  return status === HttpStatus.UNAUTHORIZED ? { 'WWW-Authenticate': 'Bearer', ...headers } : headers;
}

function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** Errors Fastify raises while reading a request, by their code. */
function fastifyErrorAnswer(code: string, status: number): ErrorAnswer | undefined {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        body: { detail: [validationIssue('json_invalid', ['body', 0], 'JSON decode error', {}, { error: 'Invalid JSON' })] },
        headers: {},
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: HttpStatus.PAYLOAD_TOO_LARGE, body: { detail: statusText(413) }, headers: {} };
    default:
      return status >= 400 && status < 500 ? { status, body: { detail: statusText(status) }, headers: {} } : undefined;
  }
}

@Catch()
export class FastApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const answer = this.toAnswer(exception, request);
    // The route's pattern, or the path without its query string (which may carry a secret).
    const where = `${request.method} ${request.routeOptions?.url ?? request.url?.split('?')[0]}`;
    const request_id = request.id;
    if (exception instanceof HttpException) {
      // Answers the service chose (503 Server busy, say): one line, no stack.
      if (answer.status >= 500) this.logger.warn({ request_id, msg: `${where} → ${answer.status}` });
    } else if (answer.status === HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.warn({ request_id, msg: `${where} → 503: database unavailable (${(exception as Error).message})` });
    } else if (answer.status >= 500) {
      this.logger.error({ request_id, err: exception, msg: `${where} failed` });
    }
    if (reply.sent) return;
    reply.status(answer.status).headers(answerHeaders(answer.status, answer.headers)).send(answer.body);
  }

  private toAnswer(exception: unknown, request: FastifyRequest): ErrorAnswer {
    if (!(exception instanceof HttpException)) {
      // Never an accepted request when the database cannot answer: 503, so clients retry.
      const status = isDatabaseUnavailable(exception) ? 503 : 500;
      return { status, body: { detail: statusText(status) }, headers: status === 503 ? { 'Retry-After': '1' } : {} };
    }
    const status = exception.getStatus();
    const cause = exception.cause as { code?: unknown } | undefined;
    if (typeof cause?.code === 'string' && cause.code.startsWith('FST_')) {
      const answer = fastifyErrorAnswer(cause.code, status);
      if (answer) return answer;
    }
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'detail' in response) {
      const headers = exception instanceof HttpErrorWithHeaders ? { ...exception.headers } : {};
      return { status, body: response as Record<string, unknown>, headers };
    }
    if (status === HttpStatus.NOT_FOUND) {
      // A path that exists for other methods: 405. (A route's own 404 keeps its status.)
      const allowed = this.routes.allowedMethods(request.url);
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        return { status: 405, body: { detail: statusText(405) }, headers: { Allow: allowed.join(', ') } };
      }
    }
    // Framework messages ("Cannot GET /x") say more than a client needs; the status text is enough.
    return { status, body: { detail: statusText(status) }, headers: {} };
  }
}
