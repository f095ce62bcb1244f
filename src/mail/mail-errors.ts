import { ServiceUnavailableException } from '@nestjs/common';

/** A flow that needs mail, in production without SMTP_URL. */
export const mailUnavailable = () => new ServiceUnavailableException({ detail: 'Email is not configured on this server' });
