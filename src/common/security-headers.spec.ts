import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { helmetMiddleware, securityHeaders } from './security-headers.js';

/** What helmet itself writes on a real answer. */
async function helmetOnARealResponse(): Promise<IncomingHttpHeaders> {
  const server = createServer((request, response) => helmetMiddleware(request, response, () => response.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const skip = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
    return Object.fromEntries([...response.headers].filter(([name]) => !skip.has(name)));
  } finally {
    server.close();
  }
}

describe('securityHeaders', () => {
  it('are exactly the headers helmet writes on a real response', async () => {
    expect(securityHeaders()).toEqual(await helmetOnARealResponse());
  });

  it('include the policy the docs pages need and nothing looser', () => {
    const headers = securityHeaders();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  });
});
