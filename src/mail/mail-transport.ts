// How a message leaves: through SMTP with nodemailer when SMTP_URL is set; otherwise nowhere, and
// the worker writes it to the log instead (development) or the flows that mail are off (production).
import { Injectable } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config.js';
import type { Mail } from './templates.js';

/** How long one send may take, in all: no SMTP server can hold the worker for longer. */
export const SEND_TIMEOUT_MS = 30_000;

@Injectable()
export class MailTransport {
  /** Made at the first send: nodemailer (some 40 ms to load) stays off the start-up path. */
  private transporter: Promise<Transporter> | undefined;

  constructor(private readonly config: AppConfig) {}

  /** Whether messages can leave at all. */
  get enabled(): boolean {
    return this.config.mail.smtpUrl !== undefined;
  }

  async send(mail: Mail): Promise<void> {
    const url = this.config.mail.smtpUrl;
    if (!url) throw new Error('No SMTP_URL: mail cannot be sent');
    // Per-phase limits, together within SEND_TIMEOUT_MS; the URL's own settings win.
    this.transporter ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 10_000 }),
    );
    const transporter = await this.transporter;
    await transporter.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  }

  close(): void {
    void this.transporter?.then((transporter) => transporter.close());
  }
}
