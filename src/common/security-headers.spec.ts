import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { helmetMiddleware, securityHeaders, type SecurityHeadersConfig } from './security-headers.js';

/** What helmet itself writes on a real answer. */
async function helmetOnARealResponse(config: SecurityHeadersConfig): Promise<IncomingHttpHeaders> {
  const middleware = helmetMiddleware(config);
  const server = createServer((request, response) => middleware(request, response, () => response.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const skip = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
    return Object.fromEntries([...response.headers].filter(([name]) => !skip.has(name)));
  } finally {
    server.close();
  }
}

const OVER_HTTPS = { behindTls: true };
const OVER_HTTP = { behindTls: false };

describe('securityHeaders', () => {
  it.each([
    ['over HTTPS', OVER_HTTPS],
    ['over plain HTTP', OVER_HTTP],
  ])('are exactly the headers helmet writes on a real response %s', async (_over, config) => {
    expect(securityHeaders(config)).toEqual(await helmetOnARealResponse(config));
  });

  it.each([
    ['over HTTPS', OVER_HTTPS],
    ['over plain HTTP', OVER_HTTP],
  ])('include the policy the docs pages need and nothing looser %s', (_over, config) => {
    const headers = securityHeaders(config);
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('over HTTPS, upgrade every request to HTTPS, pin HTTPS (HSTS) and isolate the window (COOP, Origin-Agent-Cluster)', () => {
    const headers = securityHeaders(OVER_HTTPS);
    expect(headers['content-security-policy']).toMatch(/(^|;)upgrade-insecure-requests(;|$)/);
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['origin-agent-cluster']).toBe('?1');
  });

  it('over plain HTTP, send no header that needs HTTPS: the pages load their scripts from where they are', () => {
    const headers = securityHeaders(OVER_HTTP);
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(headers).not.toHaveProperty('strict-transport-security');
    expect(headers).not.toHaveProperty('cross-origin-opener-policy');
    expect(headers).not.toHaveProperty('origin-agent-cluster');
  });
});
