import { InitialSchema1795402674432 } from './1795402674432-initial-schema.js';
import { Sessions1795405629863 } from './1795405629863-sessions.js';
import { SessionExpiryIndexes1795411200000 } from './1795411200000-session-expiry-indexes.js';
import { UsernameSkeletons1795420800000 } from './1795420800000-username-skeletons.js';
import { MailAndEmailVerification1795424400000 } from './1795424400000-mail-and-email-verification.js';
import { OAuthClients1795428000000 } from './1795428000000-oauth-clients.js';
import { SigningKeys1795431600000 } from './1795431600000-signing-keys.js';
import { ClientRedirectUris1795435200000 } from './1795435200000-client-redirect-uris.js';
import { AuthorizationCodes1795438800000 } from './1795438800000-authorization-codes.js';
import { BrowserSessions1795442400000 } from './1795442400000-browser-sessions.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [InitialSchema1795402674432, Sessions1795405629863, SessionExpiryIndexes1795411200000, UsernameSkeletons1795420800000, MailAndEmailVerification1795424400000, OAuthClients1795428000000, SigningKeys1795431600000, ClientRedirectUris1795435200000, AuthorizationCodes1795438800000, BrowserSessions1795442400000];
