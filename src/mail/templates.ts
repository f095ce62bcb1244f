// The messages the service sends: each a subject, a text part and an HTML part. Every value put
// into the HTML is escaped; links are built by the caller from PUBLIC_URL or the URL templates.
import { escapeHtml } from '../common/html.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type Message = Omit<Mail, 'to'>;

/** A mailed link: RESET_URL_TEMPLATE or VERIFY_URL_TEMPLATE with the token where `{token}` stands. */
export function linkWith(template: string, token: string): string {
  return template.replaceAll('{token}', token);
}

/** An HTML part: a greeting, paragraphs (already escaped where they hold values) and a footer. */
function page(title: string, paragraphs: string[]): string {
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a">',
    ...paragraphs.map((paragraph) => `<p>${paragraph}</p>`),
    '</body></html>',
    '',
  ].join('\n');
}

const link = (url: string) => `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;

const IGNORE = 'If you did not ask for this, you can ignore this message.';

export function verifyEmailMessage(username: string, url: string, hours: number): Message {
  const subject = 'Confirm your email address';
  return {
    subject,
    text: `Hello ${username},\n\nTo confirm that this address is yours, open this link within ${hours} hours:\n\n${url}\n\n${IGNORE}\n`,
    html: page(subject, [`Hello ${escapeHtml(username)},`, `To confirm that this address is yours, open this link within ${hours} hours:`, link(url), IGNORE]),
  };
}

export function passwordResetMessage(username: string, url: string, minutes: number): Message {
  const subject = 'Reset your password';
  return {
    subject,
    text: `Hello ${username},\n\nTo choose a new password, open this link within ${minutes} minutes. It works once.\n\n${url}\n\n${IGNORE} Your password stays as it is.\n`,
    html: page(subject, [
      `Hello ${escapeHtml(username)},`,
      `To choose a new password, open this link within ${minutes} minutes. It works once.`,
      link(url),
      `${IGNORE} Your password stays as it is.`,
    ]),
  };
}

/** When and from where, as a notice says it: `2026-12-06 16:30 UTC, from 203.0.113.9`. */
function occasion(at: number, address: string | null): string {
  const when = `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return address ? `${when}, from ${address}` : when;
}

export function passwordChangedMessage(username: string, at: number, address: string | null): Message {
  const subject = 'Your password was changed';
  const what = `The password of your account ${username} was changed on ${occasion(at, address)}. Every session signed in before then has been signed out.`;
  const ifNot = 'If this was not you, reset your password at once and tell your administrator.';
  return { subject, text: `${what}\n\n${ifNot}\n`, html: page(subject, [escapeHtml(what), escapeHtml(ifNot)]) };
}

export function emailChangeRequestedMessage(username: string, newEmail: string, at: number, address: string | null): Message {
  const subject = 'Your email address is being changed';
  const what = `On ${occasion(at, address)}, someone signed in as ${username} asked to change the account's email address to ${newEmail}. It changes once the new address is confirmed.`;
  const ifNot = 'If this was not you, change your password at once and tell your administrator.';
  return { subject, text: `${what}\n\n${ifNot}\n`, html: page(subject, [escapeHtml(what), escapeHtml(ifNot)]) };
}

export function testMessage(at: number): Message {
  const subject = 'Test message';
  const what = `This test message was sent on ${occasion(at, null)}: mail from this service reaches this address.`;
  return { subject, text: `${what}\n`, html: page(subject, [escapeHtml(what)]) };
}
