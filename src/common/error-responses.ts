// The error answers of the OpenAPI document. Every documented example is built from the exception
// the code throws in that case (its status, `{"detail": …}` body and headers, as the exception
// filter sends them), so the document cannot show a body the service does not send.
import { HttpException, type Type } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorDetail, HttpValidationError, OAuth2ErrorDetail } from './error-detail.dto.js';
import { answerHeaders } from './fastapi-exception.filter.js';
import { FastApiValidationPipe } from './fastapi-validation.pipe.js';
import { HttpErrorWithHeaders } from './http-error.js';
import type { Location, ValidationIssue } from './request-validation.js';

/** The headers error answers carry, as documented. */
const HEADERS: Record<string, { description: string; type: 'integer' | 'string' }> = {
  'Retry-After': { description: 'Seconds to wait before trying again', type: 'integer' },
  'WWW-Authenticate': { description: 'RFC 6750 §3: the scheme to authenticate with; on a 403, the scope that is missing', type: 'string' },
};

interface Answer {
  status: number;
  body: { detail: string | ValidationIssue[]; error?: string };
  headers: Record<string, string>;
}

function answerOf(exception: HttpException): Answer {
  const status = exception.getStatus();
  const own = exception instanceof HttpErrorWithHeaders ? exception.headers : {};
  return { status, body: exception.getResponse() as Answer['body'], headers: answerHeaders(status, own) };
}

/** A line for the example picker: the detail, or each issue as `where: message`. */
function summaryOf({ detail }: Answer['body']): string {
  return typeof detail === 'string' ? detail : detail.map((issue) => `${issue.loc.join('.')}: ${issue.msg}`).join('; ');
}

function schemaOf(answers: Answer[]): Type {
  if (answers.some(({ body }) => Array.isArray(body.detail))) return HttpValidationError;
  return answers.some(({ body }) => body.error !== undefined) ? OAuth2ErrorDetail : ErrorDetail;
}

/** Each header any case sends; required when every case sends it. */
function headersOf(answers: Answer[]) {
  const names = [...new Set(answers.flatMap(({ headers }) => Object.keys(headers)))];
  if (names.length === 0) return {};
  const headers = Object.fromEntries(
    names.map((name) => {
      if (!(name in HEADERS)) throw new Error(`Document the ${name} header in src/common/error-responses.ts`);
      const { description, type } = HEADERS[name];
      const value = answers.find(({ headers }) => name in headers)!.headers[name];
      const required = answers.every(({ headers }) => name in headers);
      return [name, { description, required, schema: { type, example: type === 'integer' ? Number(value) : value } }];
    }),
  );
  return { headers };
}

/**
 * Documents one error status of a route: `cases` names each body it can have, as the exception the
 * code throws for it. The status, schema, examples and headers all come from those exceptions.
 * Several of these on one route for one status (a route's own 403 beside its access rule's) add up.
 */
export function ApiErrorResponse(description: string, cases: Record<string, HttpException>) {
  const named = Object.entries(cases).map(([name, exception]) => [name, answerOf(exception)] as const);
  const answers = named.map(([, answer]) => answer);
  const statuses = new Set(answers.map(({ status }) => status));
  if (statuses.size !== 1) throw new Error(`One status per documented error response, got ${[...statuses].join(', ')}: ${description}`);
  const examples = Object.fromEntries(named.map(([name, { body }]) => [name, { summary: summaryOf(body), value: body }]));
  return ApiResponse({ status: answers[0].status, description, type: schemaOf(answers), examples, ...headersOf(answers) });
}

/** The exception `refuse` throws: what a route answers to the input it was given. */
export function refusalOf(refuse: () => unknown): HttpException {
  try {
    refuse();
  } catch (error) {
    if (error instanceof HttpException) return error;
    throw error;
  }
  throw new Error('Expected a refusal to document, but the input was accepted');
}

/** The 422 the validation pipe answers to `input` as a request's `location`, read into `shape`. */
export function refusedInput(shape: Type, location: Exclude<Location, 'path'>, input: unknown): HttpException {
  return refusalOf(() => new FastApiValidationPipe().transform(input, { type: location, metatype: shape }));
}
