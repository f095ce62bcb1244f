// The mail a user's address causes, as outbox kinds: a link that verifies an address, and a notice to
// the old address when the user asks for a new one. Payloads name the user and the address, never a
// token: EmailVerification issues the link's token when the message is sent.

/** A verification link for `email`, if it is still the user's (address or pending one) and unverified then. */
export const VERIFY_EMAIL = 'verify_email';

/** Tells `to` (the address the account had) that the user asked for `newEmail`. */
export const EMAIL_CHANGE_NOTICE = 'email_change_notice';

export interface VerifyEmailPayload {
  userId: string;
  email: string;
}

export interface EmailChangeNoticePayload {
  userId: string;
  to: string;
  newEmail: string;
  /** When it was asked for (epoch ms), and from which client address. */
  at: number;
  address: string | null;
}
