// OAuth2 scopes: what a token may be used for. A client gets the scopes it asked for that its user
// may have; asking for none (as Swagger UI and the tutorial do) grants `me items`, never `admin`.
import { BadRequestException } from '@nestjs/common';

export const SCOPES = {
  me: 'Read and change your own account',
  items: 'Read and change your own items',
  admin: 'Manage every user and item (superusers only)',
} as const;

export type Scope = keyof typeof SCOPES;

export const DEFAULT_SCOPES: readonly Scope[] = ['me', 'items'];

const KNOWN = Object.keys(SCOPES) as Scope[];

function isScope(name: string): name is Scope {
  return (KNOWN as string[]).includes(name);
}

export const invalidScope = (name: string) =>
  new BadRequestException({ detail: `Invalid scope: ${name}`, error: 'invalid_scope' });

/** RFC 6749 §5.2 `invalid_scope`: a scope the client is not registered for. */
export const scopeNotAllowedForClient = (name: string) =>
  new BadRequestException({ detail: `Scope not allowed for this client: ${name}`, error: 'invalid_scope' });

/** The scopes named in a space-separated `scope` field; an unknown name is a 400 `invalid_scope`. */
export function parseScopes(field: string | undefined): Scope[] {
  const names = (field ?? '').split(' ').filter((name) => name !== '');
  const unknown = names.find((name) => !isScope(name));
  if (unknown !== undefined) throw invalidScope(unknown);
  return names as Scope[];
}

/** Requested ∩ allowed, in a fixed order. */
export function grantScopes(requested: readonly Scope[], isSuperuser: boolean): Scope[] {
  const wanted = requested.length === 0 ? DEFAULT_SCOPES : requested;
  return KNOWN.filter((scope) => wanted.includes(scope) && (scope !== 'admin' || isSuperuser));
}

/** Requested ∩ what a client is registered for, in a fixed order; none requested: all it may have. */
export function grantClientScopes(requested: readonly Scope[], allowed: readonly Scope[]): Scope[] {
  const refused = requested.find((scope) => !allowed.includes(scope));
  if (refused !== undefined) throw scopeNotAllowedForClient(refused);
  const wanted = requested.length === 0 ? allowed : requested;
  return KNOWN.filter((scope) => wanted.includes(scope) && scope !== 'admin');
}

export function formatScopes(scopes: readonly Scope[]): string {
  return scopes.join(' ');
}

/** Scope claims seen, with their scopes: tokens name a handful of combinations, read on every request. */
const scopesByClaim = new Map<string, readonly Scope[]>();
const MAX_REMEMBERED_CLAIMS = 64;
const NO_SCOPES: readonly Scope[] = Object.freeze([]);

/** The scopes of a token's `scope` claim, frozen (the same array for the same claim); anything unreadable grants nothing. */
export function scopesOfClaim(claim: unknown): readonly Scope[] {
  if (typeof claim !== 'string') return NO_SCOPES;
  const known = scopesByClaim.get(claim);
  if (known) return known;
  const scopes = Object.freeze(claim.split(' ').filter(isScope));
  if (scopesByClaim.size < MAX_REMEMBERED_CLAIMS) scopesByClaim.set(claim, scopes);
  return scopes;
}
