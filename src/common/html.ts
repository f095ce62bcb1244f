// The service's few server-rendered pages (a mailed link's reset and verification pages) and the
// escaping that mails and pages share: plain HTML, no script (the CSP allows only this origin's
// script files, and these pages need none), one inline style sheet (which it allows).
import type { FastifyReply, FastifyRequest } from 'fastify';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `value` safe inside HTML text and quoted attribute values: the pages and mails the service writes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

const STYLE = [
  'body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; }',
  'label { display: block; margin-top: 1rem; }',
  'input { display: block; width: 100%; box-sizing: border-box; padding: 0.4rem; font: inherit; }',
  'button { margin-top: 1.25rem; padding: 0.5rem 1rem; font: inherit; }',
  '.problem { color: #a40000; }',
].join('\n');

/** A page titled `title` (escaped here) with `body`'s lines, which escape their own values. */
export function htmlPage(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    // One main landmark holding everything, for screen readers' landmark navigation.
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Answers with a page that no cache keeps: each is about one mailed link. Like every answer it
 * carries `Referrer-Policy: no-referrer` (security-headers.ts), so the token in the address leaves
 * with no request the page makes.
 */
export function sendHtmlPage(reply: FastifyReply, status: number, html: string): void {
  void reply.code(status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
}

const FORM_CONTENT_TYPE = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;

/** Whether `request` is a page's form post (answered with a page) rather than an API call (JSON). */
export function isFormPost(request: FastifyRequest): boolean {
  return FORM_CONTENT_TYPE.test(request.headers['content-type'] ?? '');
}
