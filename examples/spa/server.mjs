// Serves the example app on 127.0.0.1 with node:http only. SERVICE_URL is the service's PUBLIC_URL
// (its issuer); CLIENT_ID the public client registered with redirect URI http://127.0.0.1:PORT/.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const service = (process.env.SERVICE_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
const clientId = process.env.CLIENT_ID;
const port = Number(process.env.PORT ?? 5173);
if (!clientId) {
  console.error('Set CLIENT_ID to the client_id of a public client registered with redirect URI http://127.0.0.1:' + port + '/');
  process.exit(1);
}

const file = (name) => readFileSync(new URL(name, import.meta.url));
const files = {
  '/': ['text/html; charset=utf-8', file('index.html')],
  '/app.js': ['text/javascript; charset=utf-8', file('app.js')],
  '/config.js': ['text/javascript; charset=utf-8', `window.CONFIG = ${JSON.stringify({ service, clientId })};\n`],
};
const policy = `default-src 'self'; connect-src ${service}; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;

createServer((request, response) => {
  const found = request.method === 'GET' ? files[new URL(request.url, 'http://x').pathname] : undefined;
  // No icon: an empty answer, so the browser does not log a missing one.
  if (request.url === '/favicon.ico') return response.writeHead(204).end();
  if (!found) return response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
  response
    .writeHead(200, {
      'Content-Type': found[0],
      'Cache-Control': 'no-store',
      'Content-Security-Policy': policy,
      'Referrer-Policy': 'no-referrer',
    })
    .end(found[1]);
}).listen(port, '127.0.0.1', () => console.log(`Example app on http://127.0.0.1:${port}/ using ${service}`));
