// A real SMTP server for tests (smtp-server, with mailparser reading what arrives): the service
// sends to it through nodemailer exactly as it would to any other. It can be stopped and started
// again on the same port, to play a mail server that is down for a while.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The first http(s) link of the text part. */
  link: string | undefined;
  /** `link`'s `token` parameter. */
  token: string | undefined;
}

export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private waiters: (() => void)[] = [];
  port = 0;

  /** Starts listening on 127.0.0.1 (on the port it had before, when started again). */
  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push(toReceived(mail));
            for (const wake of this.waiters.splice(0)) wake();
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The mail to `address` received so far. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.includes(address.toLowerCase()));
  }

  /** The first received mail that `matches`, waiting for it up to `timeoutMs`. */
  async waitFor(matches: (mail: ReceivedMail) => boolean, timeoutMs = 30_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(matches);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching mail within ${timeoutMs} ms; received: ${JSON.stringify(this.received.map((mail) => [mail.to, mail.subject]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next mail to `address` with `subject`, after `already` of them had arrived. */
  async waitForMail(address: string, subject: string, already = 0): Promise<ReceivedMail> {
    // Counted afresh at each look: the received mail is searched again whenever more arrives.
    const matching = () => this.received.filter((mail) => mail.to.includes(address.toLowerCase()) && mail.subject === subject);
    await this.waitFor(() => matching().length > already);
    return matching()[already];
  }
}

function toReceived(mail: ParsedMail): ReceivedMail {
  const recipients = [mail.to ?? []].flat().flatMap((group) => group.value.map((entry) => (entry.address ?? '').toLowerCase()));
  const text = mail.text ?? '';
  const link = /https?:\/\/\S+/.exec(text)?.[0];
  const token = link ? (new URL(link).searchParams.get('token') ?? undefined) : undefined;
  return { to: recipients, subject: mail.subject ?? '', text, html: typeof mail.html === 'string' ? mail.html : '', link, token };
}
