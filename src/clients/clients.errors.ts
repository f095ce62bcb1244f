import { BadRequestException, NotFoundException } from '@nestjs/common';
import { HttpErrorWithHeaders } from '../common/http-error.js';

export const clientNotFound = () => new NotFoundException({ detail: 'Client not found' });

/** A new secret was asked for a public client, which never has one. */
export const publicClientHasNoSecret = () => new BadRequestException({ detail: 'A public client has no secret' });

/** The realm clients are challenged with (RFC 7617). */
export const CLIENT_REALM = 'oauth2-clients';

/** RFC 6749 §5.2 `invalid_client`: unknown client, wrong secret, unreadable Basic header, or none given. */
export const invalidClient = () =>
  new HttpErrorWithHeaders(
    401,
    { detail: 'Invalid client credentials', error: 'invalid_client' },
    { 'WWW-Authenticate': `Basic realm="${CLIENT_REALM}"` },
  );
