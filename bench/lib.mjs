// Small helpers for the benchmark: processes on free ports, readiness, memory, autocannon runs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resident memory of a process, in MB: now (VmRSS), or its peak so far (VmHWM). */
export function rssMb(pid, field = 'VmRSS') {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** Resolves with the milliseconds until `url` first answers 200; rejects after `timeoutMs`. */
export async function until200(url, startedAt, timeoutMs = 30_000) {
  for (;;) {
    const ok = await fetch(url).then((r) => r.status === 200, () => false);
    if (ok) return performance.now() - startedAt;
    if (performance.now() - startedAt > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** CPU time a process has used so far (user and system), in seconds (Linux clock ticks of 10 ms). */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** `node script` on a free port with `env`; resolves once `readyPath` answers 200. */
export async function startNode(script, env, readyPath, args = []) {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...args, script], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const startMs = await Promise.race([
    until200(`${base}${readyPath}`, startedAt),
    exited.then((code) => Promise.reject(new Error(`${script} exited with ${code}: ${stderr}`))),
  ]);
  return {
    base,
    pid: child.pid,
    startMs,
    rssMb: () => rssMb(child.pid),
    peakRssMb: () => rssMb(child.pid, 'VmHWM'),
    cpuSeconds: () => cpuSeconds(child.pid),
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      child.kill('SIGKILL');
      children.delete(child);
    },
  };
}

/**
 * One autocannon run; the figures the table needs. `bad` counts errors, timeouts and every answer
 * whose status is not `expect` (200 unless said otherwise).
 */
export async function load({ expect = 200, ...options }) {
  const result = await autocannon({ timeout: 10, ...options });
  const expected = result.statusCodeStats?.[expect]?.count ?? 0;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    bad: result.requests.total - expected + result.errors + result.timeouts,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count])),
  };
}

/** A password login at `POST /token`: its answer (access_token, refresh_token, …). */
export async function logIn(base, username, password) {
  const response = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${username} answered ${response.status}`);
  return response.json();
}

export async function tokenFor(base, username, password) {
  return (await logIn(base, username, password)).access_token;
}

/**
 * One request with node:http (through `agent`, which may bind a local address); resolves with its
 * status and Retry-After once the answer is read, or with the code of the error that ended it.
 * `chunked` sends the body without a Content-Length, in 64 KiB chunks.
 */
export function send(base, agent, { method = 'POST', path, headers = {}, body, chunked = false }) {
  return new Promise((resolve) => {
    const length = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body?.length ?? 0) };
    const request = http.request(new URL(path, base), { method, agent, headers: { ...headers, ...length }, timeout: 15_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] }));
      response.on('error', (error) => resolve({ error: `after ${response.statusCode}: ${error.code ?? error.message}` }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    request.on('error', (error) => resolve({ error: error.code ?? error.message }));
    if (chunked && body) {
      for (let at = 0; at < body.length; at += 64 * 1024) request.write(body.subarray(at, at + 64 * 1024));
      request.end();
    } else request.end(body);
  });
}
