// What this resource server knows about the authorization server it trusts, read once at start-up:
// its own settings from the environment, the service's endpoints from its discovery document
// (RFC 8414), so that the service may move them without this configuration changing.

/** The settings, injected by their class wherever one is needed. */
export class ResourceServerSettings {
  constructor(
    /** The service's PUBLIC_URL: every token's `iss` must be exactly this. */
    readonly issuer: string,
    /** Every token's `aud` must name this (the service's JWT_AUDIENCE). */
    readonly audience: string,
    /** This resource server's own client credentials, for introspection only. */
    readonly clientId: string,
    readonly clientSecret: string,
    readonly port: number,
    /** Both from the discovery document. */
    readonly jwksUri: string,
    readonly introspectionEndpoint: string,
  ) {}
}

interface AuthorizationServerMetadata {
  issuer?: unknown;
  jwks_uri?: unknown;
  introspection_endpoint?: unknown;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function urlIn(metadata: AuthorizationServerMetadata, field: 'jwks_uri' | 'introspection_endpoint'): string {
  const value = metadata[field];
  if (typeof value !== 'string' || !URL.canParse(value)) throw new Error(`the discovery document has no ${field}`);
  return value;
}

export async function loadSettings(env: NodeJS.ProcessEnv): Promise<ResourceServerSettings> {
  const issuer = required(env, 'ISSUER');
  const discovery = `${issuer.replace(/\/+$/, '')}/.well-known/oauth-authorization-server`;
  const response = await fetch(discovery, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
  const metadata = (await response.json()) as AuthorizationServerMetadata;
  // RFC 8414 §3.3: a document that names another issuer must not be used.
  if (metadata.issuer !== issuer) throw new Error(`${discovery} names the issuer ${JSON.stringify(metadata.issuer)}, not ISSUER`);
  return new ResourceServerSettings(
    issuer,
    env.AUDIENCE || 'oauth2-password-service',
    required(env, 'CLIENT_ID'),
    required(env, 'CLIENT_SECRET'),
    Number(env.PORT || 3000),
    urlIn(metadata, 'jwks_uri'),
    urlIn(metadata, 'introspection_endpoint'),
  );
}
