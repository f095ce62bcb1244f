// The service's configuration: read from the environment once, validated, then injected as
// `AppConfig`. Nothing else in the service reads process.env.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { MailSettings } from '../mail/mail-settings.js';
import { passwordWeakness } from '../password/password-policy.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../users/dto/field-rules.js';
import { GENERATE_SECRET_KEY, secretKeyProblem } from './secret-key.js';

export type NodeEnv = 'development' | 'production' | 'test';

export const JWT_ALGORITHMS = ['HS256', 'ES256', 'RS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** LOG_LEVEL's accepted names and the pino level each means (`verbose` is Nest's name for trace). */
const LOG_LEVELS = {
  silent: 'silent',
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  verbose: 'trace',
  trace: 'trace',
} as const;

export type LogLevel = (typeof LOG_LEVELS)[keyof typeof LOG_LEVELS];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export class AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  /** The address users reach the service at (`https://id.example.com`), without a trailing slash. */
  readonly publicUrl: string;
  /**
   * Whether users reach the service over HTTPS (PUBLIC_URL is https), TLS being ended here or in a
   * proxy: the headers that only mean something over HTTPS are sent only then.
   */
  readonly behindTls: boolean;
  readonly secretKey: string;
  /** True when no SECRET_KEY was given and a random one was made for this process. */
  readonly secretKeyGenerated: boolean;
  readonly previousSecretKeys: string[];
  /** HS256 signs with SECRET_KEY; ES256 and RS256 with a private key of the signing-key store. */
  readonly jwtAlgorithm: JwtAlgorithm;
  /** `iss` of every token: PUBLIC_URL unless JWT_ISSUER says otherwise. */
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  /**
   * How long a copy of the published keys may be used (`Cache-Control: max-age` of the JWKS): a new
   * signing key is published at least this long before it signs.
   */
  readonly jwksMaxAgeSeconds: number;
  readonly accessTokenExpireMinutes: number;
  /** A refresh token unused for this long is dead. */
  readonly refreshTokenIdleMinutes: number;
  /** A session ends this long after login, however often it is refreshed. */
  readonly refreshTokenMaxDays: number;
  /** How long a browser stays signed in on the hosted login page of GET /authorize. */
  readonly browserSessionHours: number;
  readonly databaseUrl: string;
  readonly demoData: boolean;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  readonly signupEnabled: boolean;
  /** Password hashes computed at once, and how many more may wait before 503 "Server busy". */
  readonly hashConcurrency: number;
  readonly loginMaxFailures: number;
  readonly loginWindowSeconds: number;
  readonly loginAddressMaxFailures: number;
  readonly loginDelayMaxMs: number;
  readonly signupMaxPerAddress: number;
  readonly signupWindowSeconds: number;
  /** Introspection requests one client may make within the window, before 429. */
  readonly introspectMaxPerClient: number;
  readonly introspectWindowSeconds: number;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); none by default. */
  readonly trustProxy: string[];
  /** Browser origins allowed to call the API (CORS); none by default. */
  readonly corsOrigins: string[];
  /** The bearer token Prometheus sends to GET /metrics; unset, the route does not exist. */
  readonly metricsToken: string | undefined;
  /** Scheduling priority (nice, 0-19) of the threads that hash passwords, on Linux; 0 leaves it alone. */
  readonly hashNice: number;
  /** Shared rate-limit counters for several instances; in-process when unset. */
  readonly redisUrl: string | undefined;
  /** Prefix of every key this service writes in Redis, for a Redis shared with other applications. */
  readonly redisKeyPrefix: string;
  readonly hashQueueLimit: number;
  /** Hashes one client address may have waiting at once; beyond, 429 (the others' share of the queue). */
  readonly hashQueuePerAddress: number;
  /** Password checks (successes included) one address may ask for within the window, before 429. */
  readonly passwordChecksPerAddress: number;
  readonly passwordChecksWindowSeconds: number;
  /** A failed password check answers no sooner than this after its verification started (equal time). */
  readonly loginFailureMinMs: number;
  /** Live sessions per user; a login beyond ends the oldest. */
  readonly maxSessionsPerUser: number;
  /** How often expired sessions and refresh tokens are deleted (0: never). */
  readonly sessionCleanupIntervalSeconds: number;
  /** A request whose headers and body have not all arrived within this is answered 408 and closed. */
  readonly requestTimeoutSeconds: number;
  readonly headersTimeoutSeconds: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutSeconds: number;
  /** Open connections at once; beyond, new ones are closed at once. */
  readonly maxConnections: number;
  /** Created (or left alone if the name exists) at start-up when set. */
  readonly firstSuperuser: { username: string; password: string } | undefined;
  readonly mail: MailSettings;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1';
  return false;
}

type Env = Record<string, string | undefined>;

function readMetricsToken(env: Env): string | undefined {
  const token = readString(env, 'METRICS_TOKEN', '');
  if (token === '') return undefined;
  if (token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return token;
}

function readString(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBoolean(env: Env, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** Production unless told otherwise: a server started bare (`node dist/server.js`) loads no demo data. */
function readNodeEnv(env: Env): NodeEnv {
  const value = readString(env, 'NODE_ENV', 'production');
  if (value !== 'development' && value !== 'production' && value !== 'test') {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${value}"`);
  }
  return value;
}

/** SECRET_KEY and PREVIOUS_SECRET_KEYS; a key that is set is checked in every mode (secret-key.ts). */
function readSecretKeys(env: Env, production: boolean, loopback: boolean): Pick<AppConfig, 'secretKey' | 'secretKeyGenerated' | 'previousSecretKeys'> {
  const key = env.SECRET_KEY;
  const previousSecretKeys = readList(env, 'PREVIOUS_SECRET_KEYS');
  const problem = secretKeyProblem([
    ...(key === undefined || key === '' ? [] : [{ name: 'SECRET_KEY', key, fix: `generate one with: ${GENERATE_SECRET_KEY}` }]),
    ...previousSecretKeys.map((previous, index) => ({
      name: `PREVIOUS_SECRET_KEYS entry ${index + 1}`,
      key: previous,
      fix: `remove it, as tokens signed with it can be forged (a new key: ${GENERATE_SECRET_KEY})`,
    })),
  ]);
  if (problem) throw new ConfigError(problem);
  if (key === undefined || key === '') {
    if (production) throw new ConfigError(`SECRET_KEY is required in production; generate one with: ${GENERATE_SECRET_KEY}`);
    if (!loopback) throw new ConfigError('SECRET_KEY is required when HOST is not a loopback address');
    return { secretKey: randomBytes(32).toString('hex'), secretKeyGenerated: true, previousSecretKeys };
  }
  return { secretKey: key, secretKeyGenerated: false, previousSecretKeys };
}

function readJwtAlgorithm(env: Env): JwtAlgorithm {
  const value = readString(env, 'JWT_ALGORITHM', 'HS256').toUpperCase();
  if (!(JWT_ALGORITHMS as readonly string[]).includes(value)) {
    throw new ConfigError(`JWT_ALGORITHM must be one of ${JWT_ALGORITHMS.join(', ')}, got "${env.JWT_ALGORITHM}"`);
  }
  return value as JwtAlgorithm;
}

function readDatabaseUrl(env: Env): string {
  const url = readString(env, 'DATABASE_URL', 'sqlite:data/app.db');
  if (url.startsWith('sqlite:') && url.length > 'sqlite:'.length) return url;
  if (/^postgres(ql)?:\/\/.+/.test(url)) return url;
  throw new ConfigError(`DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://..., got "${url}"`);
}

function readList(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function readRedisUrl(env: Env): string | undefined {
  const url = env.REDIS_URL?.trim();
  if (!url) return undefined;
  if (!/^rediss?:\/\/.+/.test(url)) throw new ConfigError(`REDIS_URL must be redis://host:port, got "${url}"`);
  return url;
}

/** FIRST_SUPERUSER's password passes the rules of any new password, refused here rather than at its creation. */
function readFirstSuperuser(env: Env): AppConfig['firstSuperuser'] {
  const username = env.FIRST_SUPERUSER?.trim();
  const password = env.FIRST_SUPERUSER_PASSWORD ?? '';
  if (!username && !password) return undefined;
  if (!username) throw new ConfigError('FIRST_SUPERUSER must be set with FIRST_SUPERUSER_PASSWORD');
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new ConfigError(`FIRST_SUPERUSER_PASSWORD must be set, at least ${PASSWORD_MIN_LENGTH} characters, with FIRST_SUPERUSER`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) throw new ConfigError(`FIRST_SUPERUSER_PASSWORD must be at most ${PASSWORD_MAX_LENGTH} characters`);
  const weakness = passwordWeakness(password, username);
  if (weakness) throw new ConfigError(`FIRST_SUPERUSER_PASSWORD is refused: ${weakness.msg}`);
  return { username, password };
}

/**
 * PUBLIC_URL, or where the server listens; any trailing slash dropped, so paths can be appended. It is
 * the issuer other services trust, so it must be given wherever the listening address is not what
 * users reach: in production, and on a HOST that is not loopback (`required`).
 */
function readPublicUrl(env: Env, host: string, port: number, required: boolean): string {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw && required) {
    throw new ConfigError('PUBLIC_URL is required in production and when HOST is not a loopback address: the address users reach the service at, such as https://id.example.com');
  }
  if (!raw) return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const url = /^https?:\/\//i.test(raw) && URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url) {
    throw new ConfigError(`PUBLIC_URL must be an absolute http:// or https:// URL such as https://id.example.com, got "${raw}"`);
  }
  if (url.username !== '' || url.password !== '') throw new ConfigError('PUBLIC_URL must not contain a user name or password');
  if (raw.includes('?') || raw.includes('#')) throw new ConfigError(`PUBLIC_URL must have no query or fragment, got "${raw}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function readTimeouts(env: Env): Pick<AppConfig, 'requestTimeoutSeconds' | 'headersTimeoutSeconds' | 'keepAliveTimeoutSeconds'> {
  const requestTimeoutSeconds = readInteger(env, 'REQUEST_TIMEOUT_SECONDS', 30, 1, 3600);
  const headersTimeoutSeconds = readInteger(env, 'HEADERS_TIMEOUT_SECONDS', Math.min(10, requestTimeoutSeconds), 1, 3600);
  // Node refuses a headers timeout longer than the request timeout.
  if (headersTimeoutSeconds > requestTimeoutSeconds) {
    throw new ConfigError(`HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS (${requestTimeoutSeconds}), got ${headersTimeoutSeconds}`);
  }
  return { requestTimeoutSeconds, headersTimeoutSeconds, keepAliveTimeoutSeconds: readInteger(env, 'KEEP_ALIVE_TIMEOUT_SECONDS', 5, 1, 3600) };
}

export interface LoadOptions {
  /**
   * False for the admin CLI, which signs and verifies no tokens: SECRET_KEY and PREVIOUS_SECRET_KEYS
   * are then neither required nor checked, and a random key stands in.
   */
  signsTokens?: boolean;
  /**
   * False for the admin CLI, which builds no link or issuer that leaves the machine: PUBLIC_URL then
   * falls back to HOST:PORT wherever it is unset.
   */
  serves?: boolean;
}

export function loadConfig(env: Env = process.env, { signsTokens = true, serves = true }: LoadOptions = {}): AppConfig {
  const nodeEnv = readNodeEnv(env);
  const production = nodeEnv === 'production';
  const host = readString(env, 'HOST', '127.0.0.1');
  const loopback = isLoopbackHost(host);
  const keys = signsTokens
    ? readSecretKeys(env, production, loopback)
    : { secretKey: randomBytes(32).toString('hex'), secretKeyGenerated: true, previousSecretKeys: [] };

  const logLevel = readString(env, 'LOG_LEVEL', 'info').toLowerCase();
  const pinoLevel = LOG_LEVELS[logLevel as keyof typeof LOG_LEVELS];
  if (!pinoLevel) throw new ConfigError(`LOG_LEVEL must be one of ${Object.keys(LOG_LEVELS).join(', ')}, got "${logLevel}"`);

  const demoData = readBoolean(env, 'DEMO_DATA');
  if (demoData && production) throw new ConfigError('DEMO_DATA cannot be enabled in production');

  const firstSuperuser = readFirstSuperuser(env);
  const port = readInteger(env, 'PORT', 8000, 0, 65535);
  const publicUrl = readPublicUrl(env, host, port, serves && (production || !loopback));

  return new AppConfig({
    nodeEnv,
    host,
    port,
    publicUrl,
    behindTls: publicUrl.startsWith('https:'),
    ...keys,
    jwtAlgorithm: readJwtAlgorithm(env),
    jwtIssuer: readString(env, 'JWT_ISSUER', publicUrl),
    jwtAudience: readString(env, 'JWT_AUDIENCE', 'oauth2-password-service'),
    jwksMaxAgeSeconds: readInteger(env, 'JWKS_MAX_AGE_SECONDS', 300, 1, 86_400),
    accessTokenExpireMinutes: readInteger(env, 'ACCESS_TOKEN_EXPIRE_MINUTES', 30, 1, 60 * 24),
    refreshTokenIdleMinutes: readInteger(env, 'REFRESH_TOKEN_IDLE_MINUTES', 14 * 24 * 60, 1, 365 * 24 * 60),
    refreshTokenMaxDays: readInteger(env, 'REFRESH_TOKEN_MAX_DAYS', 30, 1, 3650),
    browserSessionHours: readInteger(env, 'BROWSER_SESSION_HOURS', 12, 1, 24 * 30),
    databaseUrl: readDatabaseUrl(env),
    demoData: demoData ?? (!production && loopback),
    logLevel: pinoLevel,
    bodyLimitBytes: readInteger(env, 'BODY_LIMIT_BYTES', 64 * 1024, 1024, 100 * 1024 * 1024),
    signupEnabled: readBoolean(env, 'SIGNUP_ENABLED') ?? true,
    hashConcurrency: readInteger(env, 'HASH_CONCURRENCY', 2, 1, 64),
    loginMaxFailures: readInteger(env, 'LOGIN_MAX_FAILURES', 5, 1, 1_000_000),
    loginWindowSeconds: readInteger(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
    loginAddressMaxFailures: readInteger(env, 'LOGIN_ADDRESS_MAX_FAILURES', 100, 1, 1_000_000),
    loginDelayMaxMs: readInteger(env, 'LOGIN_DELAY_MAX_MS', 5000, 0, 60_000),
    signupMaxPerAddress: readInteger(env, 'SIGNUP_MAX_PER_ADDRESS', 20, 1, 1_000_000),
    signupWindowSeconds: readInteger(env, 'SIGNUP_WINDOW_SECONDS', 3600, 1, 86_400),
    introspectMaxPerClient: readInteger(env, 'INTROSPECT_MAX_PER_CLIENT', 600, 1, 1_000_000),
    introspectWindowSeconds: readInteger(env, 'INTROSPECT_WINDOW_SECONDS', 60, 1, 86_400),
    redisUrl: readRedisUrl(env),
    redisKeyPrefix: readString(env, 'REDIS_KEY_PREFIX', 'oauth2:'),
    corsOrigins: readList(env, 'CORS_ORIGINS').map((origin) => {
      if (!/^https?:\/\/[^/]+$/.test(origin)) throw new ConfigError(`CORS_ORIGINS must list origins such as https://app.example.com, got "${origin}"`);
      return origin;
    }),
    trustProxy: readList(env, 'TRUST_PROXY'),
    metricsToken: readMetricsToken(env),
    hashNice: readInteger(env, 'HASH_NICE', 10, 0, 19),
    hashQueueLimit: readInteger(env, 'HASH_QUEUE_LIMIT', 32, 0, 10_000),
    hashQueuePerAddress: readInteger(env, 'HASH_QUEUE_PER_ADDRESS', 8, 1, 10_000),
    passwordChecksPerAddress: readInteger(env, 'PASSWORD_CHECKS_PER_ADDRESS', 120, 1, 1_000_000),
    passwordChecksWindowSeconds: readInteger(env, 'PASSWORD_CHECKS_WINDOW_SECONDS', 60, 1, 86_400),
    loginFailureMinMs: readInteger(env, 'LOGIN_FAILURE_MIN_MS', 500, 0, 10_000),
    maxSessionsPerUser: readInteger(env, 'MAX_SESSIONS_PER_USER', 100, 1, 1_000_000),
    sessionCleanupIntervalSeconds: readInteger(env, 'SESSION_CLEANUP_INTERVAL_SECONDS', 600, 0, 86_400),
    ...readTimeouts(env),
    maxConnections: readInteger(env, 'MAX_CONNECTIONS', 256, 1, 1_000_000),
    firstSuperuser,
    mail: readMailSettings(env, publicUrl),
  });
}

/** SMTP_URL with a scheme nodemailer sends with, and a host. */
function readSmtpUrl(env: Env): string | undefined {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return undefined;
  if (!/^smtps?:\/\/[^/?#]+/i.test(raw) || !URL.canParse(raw)) {
    throw new ConfigError('SMTP_URL must be smtp://[user:password@]host[:port] or smtps://…, such as smtp://mail.example.com:587');
  }
  return raw;
}

/** A link template: an absolute http(s) URL with `{token}` where the token goes. */
function readUrlTemplate(env: Env, name: string, fallback: string): string {
  const template = readString(env, name, fallback);
  if (!template.includes('{token}') || !/^https?:\/\//i.test(template) || !URL.canParse(template.replace('{token}', 'token'))) {
    throw new ConfigError(`${name} must be an absolute http(s) URL containing {token}, got "${template}"`);
  }
  return template;
}

function readMailSettings(env: Env, publicUrl: string): MailSettings {
  return {
    smtpUrl: readSmtpUrl(env),
    from: readString(env, 'MAIL_FROM', `no-reply@${new URL(publicUrl).hostname}`),
    resetUrlTemplate: readUrlTemplate(env, 'RESET_URL_TEMPLATE', `${publicUrl}/reset-password?token={token}`),
    verifyUrlTemplate: readUrlTemplate(env, 'VERIFY_URL_TEMPLATE', `${publicUrl}/verify-email?token={token}`),
    resetTokenMinutes: readInteger(env, 'RESET_TOKEN_MINUTES', 30, 1, 24 * 60),
    verifyTokenHours: readInteger(env, 'VERIFY_TOKEN_HOURS', 48, 1, 30 * 24),
    requireVerifiedEmail: readBoolean(env, 'REQUIRE_VERIFIED_EMAIL') ?? false,
    outboxPollMs: readInteger(env, 'OUTBOX_POLL_MS', 1000, 0, 3_600_000),
    outboxRetryMs: readInteger(env, 'OUTBOX_RETRY_MS', 10_000, 10, 3_600_000),
    outboxMaxAttempts: readInteger(env, 'OUTBOX_MAX_ATTEMPTS', 10, 1, 100),
    mailMaxPerAddress: readInteger(env, 'MAIL_MAX_PER_ADDRESS', 10, 1, 1_000_000),
    mailMaxPerEmail: readInteger(env, 'MAIL_MAX_PER_EMAIL', 3, 1, 1_000_000),
    mailWindowSeconds: readInteger(env, 'MAIL_WINDOW_SECONDS', 3600, 1, 86_400),
  };
}
