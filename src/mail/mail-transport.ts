// How a message leaves: through SMTP with nodemailer when SMTP_URL is set; otherwise nowhere, and
// the worker writes it to the log instead (development) or the flows that mail are off (production).
import { Injectable } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { AppConfig } from '../config/app-config.js';
import type { Mail } from './templates.js';

/** How long one send may take, in all: no SMTP server can hold the worker for longer. */
export const SEND_TIMEOUT_MS = 30_000;

@Injectable()
export class MailTransport {
  private readonly transporter;

  constructor(private readonly config: AppConfig) {
    const url = config.mail.smtpUrl;
    // Per-phase limits, together within SEND_TIMEOUT_MS; the URL's own settings win.
    this.transporter = url ? nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 10_000 }) : undefined;
  }

  /** Whether messages can leave at all. */
  get enabled(): boolean {
    return this.transporter !== undefined;
  }

  async send(mail: Mail): Promise<void> {
    if (!this.transporter) throw new Error('No SMTP_URL: mail cannot be sent');
    await this.transporter.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  }

  close(): void {
    this.transporter?.close();
  }
}
