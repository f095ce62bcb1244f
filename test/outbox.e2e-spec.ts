// The outbox: a message is kept until an SMTP server takes it, sent once, retried while the server
// is down, kept as failed (and listed by the CLI) when it never comes back, and shared by several
// instances without being sent twice.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { Outbox } from '../src/mail/outbox.js';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';
import { TestSmtpServer } from './support/smtp.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

/** Retries come fast here, so that a server down for a moment is tried again several times. */
const FAST = { OUTBOX_POLL_MS: '100', OUTBOX_RETRY_MS: '100' };

interface Row {
  status: string;
  attempts: number;
  last_error: string | null;
}

async function rows(service: TestApp): Promise<Row[]> {
  const found: Row[] = await service.app.get(DataSource).query('SELECT status, attempts, last_error FROM outbox ORDER BY created_at, id');
  return found.map((row) => ({ ...row, attempts: Number(row.attempts) }));
}

/** Polls `read` until `done` says yes (no fixed sleep: the condition, within a deadline). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function cli(args: string[], database: TestDatabase, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, ...env },
      timeout: 60_000,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the outbox', () => {
  let smtp: TestSmtpServer;
  let database: TestDatabase;
  const services: TestApp[] = [];

  beforeEach(async () => {
    smtp = await new TestSmtpServer().start();
    database = await createTestDatabase();
  });

  afterEach(async () => {
    for (const service of services.splice(0)) await service.close();
    await smtp.stop();
    await database.drop();
  });

  async function serve(env: Record<string, string> = {}): Promise<TestApp> {
    const service = await startApp(database, { SMTP_URL: smtp.url, ...FAST, ...env });
    services.push(service);
    return service;
  }

  it('keeps a message while the SMTP server is down, retries, and delivers it once when it is back', async () => {
    await smtp.stop();
    const service = await serve();
    await service.app.get(Outbox).send('test', { to: 'down@example.com' });
    const failing = await until(() => rows(service), ([row]) => row?.attempts >= 2);
    expect(failing).toEqual([{ status: 'pending', attempts: expect.any(Number), last_error: expect.stringMatching(/ECONNREFUSED|connect/i) }]);
    await smtp.start();
    await smtp.waitForMail('down@example.com', 'Test message');
    const [sent] = await until(() => rows(service), ([row]) => row.status === 'sent');
    expect(sent.last_error).toBeNull();
    // Sent is final: no later pass sends it again.
    expect(smtp.to('down@example.com')).toHaveLength(1);
  });

  it('gives up after OUTBOX_MAX_ATTEMPTS, keeps the message as failed, lists it in the CLI, and sends it when queued again', async () => {
    await smtp.stop();
    const service = await serve({ OUTBOX_MAX_ATTEMPTS: '2' });
    await service.app.get(Outbox).send('test', { to: 'never@example.com' });
    await until(() => rows(service), ([row]) => row?.status === 'failed');
    expect(await rows(service)).toEqual([{ status: 'failed', attempts: 2, last_error: expect.any(String) }]);

    const listed = await cli(['outbox'], database);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^[0-9a-f-]{36} \S+ test failed attempts 2 last error: .+\n$/);

    await smtp.start();
    const retried = await cli(['outbox', '--retry-failed'], database);
    expect(retried).toEqual({ status: 0, stdout: '1 failed message queued again.\n', stderr: '' });
    await smtp.waitForMail('never@example.com', 'Test message');
    await until(() => rows(service), ([row]) => row.status === 'sent');
    expect((await cli(['outbox'], database)).stdout).toBe('No mail is waiting and none has failed.\n');
  });

  it('sends each message once when two instances share the outbox', async () => {
    const [one, two] = [await serve(), await serve()];
    const addresses = Array.from({ length: 40 }, (_, n) => `shared${n}@example.com`);
    // Half written through each instance, all at once: both workers race for every message.
    await Promise.all(addresses.map((to, n) => (n % 2 ? one : two).app.get(Outbox).send('test', { to })));
    await until(async () => smtp.received.length, (count) => count >= addresses.length);
    await until(() => rows(one), (all) => all.every((row) => row.status === 'sent'));
    for (const address of addresses) expect(smtp.to(address)).toHaveLength(1);
    expect(smtp.received).toHaveLength(addresses.length);
  });

  it('writes a message to the log and keeps it (held) when there is no SMTP_URL in development', async () => {
    const service = await serve({ SMTP_URL: '', NODE_ENV: 'development' });
    await service.app.get(Outbox).send('test', { to: 'nowhere@example.com' });
    await until(() => rows(service), ([row]) => row?.status === 'held');
    expect(smtp.received).toHaveLength(0);
  });
});

describe('npm run cli -- send-test-email', () => {
  it('sends a message through SMTP_URL at once and says so', async () => {
    const smtp = await new TestSmtpServer().start();
    const database = await createTestDatabase();
    try {
      const result = await cli(['send-test-email', 'ops@example.com'], database, { SMTP_URL: smtp.url, MAIL_FROM: 'id@example.com' });
      expect(result).toEqual({ status: 0, stdout: 'Sent a test message to ops@example.com.\n', stderr: '' });
      const mail = await smtp.waitForMail('ops@example.com', 'Test message');
      expect(mail.text).toMatch(/mail from this service reaches this address/);
      expect(mail.html).toContain('<p>');
    } finally {
      await smtp.stop();
      await database.drop();
    }
  });

  it('says why when the SMTP server cannot be reached, or SMTP_URL is not set, with exit status 1', async () => {
    const smtp = await new TestSmtpServer().start();
    await smtp.stop();
    const database = await createTestDatabase();
    try {
      const down = await cli(['send-test-email', 'ops@example.com'], database, { SMTP_URL: smtp.url });
      expect(down.status).toBe(1);
      expect(down.stderr).toMatch(/^The test message to ops@example.com was not sent: .*(ECONNREFUSED|connect).*\n$/);
      const unset = await cli(['send-test-email', 'ops@example.com'], database);
      expect(unset).toEqual({ status: 1, stdout: '', stderr: 'SMTP_URL is not set: this service sends no mail\n' });
      const bad = await cli(['send-test-email', 'not-an-address'], database, { SMTP_URL: smtp.url });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('email');
    } finally {
      await database.drop();
    }
  });
});
