import { ConfigError, isLoopbackHost, loadConfig } from './app-config.js';

const STRONG_KEY = 'f3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const TUTORIAL_KEY = '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7';
/** A laptop's settings: no key needed, demo data on. */
const DEVELOPMENT = { NODE_ENV: 'development' };
/** What production needs besides a key: the address users reach it at. */
const PUBLIC = { PUBLIC_URL: 'https://id.example.com' };

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig(DEVELOPMENT);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 8000,
      databaseUrl: 'sqlite:data/app.db',
      accessTokenExpireMinutes: 30,
      demoData: true,
      previousSecretKeys: [],
      publicUrl: 'http://127.0.0.1:8000',
      behindTls: false,
    });
  });

  it('is reached where it listens unless PUBLIC_URL says otherwise', () => {
    expect(loadConfig({ ...DEVELOPMENT, HOST: '127.0.0.2', PORT: '9000' }).publicUrl).toBe('http://127.0.0.2:9000');
    expect(loadConfig({ ...DEVELOPMENT, HOST: '::1' }).publicUrl).toBe('http://[::1]:8000');
    expect(loadConfig({ ...DEVELOPMENT, PUBLIC_URL: 'http://docs.internal:8000' })).toMatchObject({ publicUrl: 'http://docs.internal:8000', behindTls: false });
  });

  it('knows it is behind TLS when PUBLIC_URL is https, and drops the trailing slash', () => {
    expect(loadConfig({ ...DEVELOPMENT, PUBLIC_URL: 'https://id.example.com/' })).toMatchObject({ publicUrl: 'https://id.example.com', behindTls: true });
    expect(loadConfig({ ...DEVELOPMENT, PUBLIC_URL: ' HTTPS://ID.Example.com:443/auth/ ' }).publicUrl).toBe('https://id.example.com/auth');
  });

  it('makes a random key in development on loopback, and says so', () => {
    const first = loadConfig(DEVELOPMENT);
    const second = loadConfig(DEVELOPMENT);
    expect(first.secretKeyGenerated).toBe(true);
    expect(first.secretKey).toHaveLength(64);
    expect(first.secretKey).not.toBe(second.secretKey);
  });

  it('is in production when NODE_ENV is not set: a key is required and no demo data loads', () => {
    expect(configError({})).toBe('SECRET_KEY is required in production; generate one with: openssl rand -hex 32');
    expect(loadConfig({ SECRET_KEY: STRONG_KEY, ...PUBLIC })).toMatchObject({ nodeEnv: 'production', demoData: false, secretKeyGenerated: false });
    expect(loadConfig({ NODE_ENV: ' ', SECRET_KEY: STRONG_KEY, ...PUBLIC }).nodeEnv).toBe('production');
  });

  it('refuses to start in production without SECRET_KEY, naming it', () => {
    expect(configError({ NODE_ENV: 'production' })).toMatch(/^SECRET_KEY is required in production/);
  });

  it.each(['production', 'development', 'test'])('refuses a guessable SECRET_KEY in %s, saying how to make a good one', (nodeEnv) => {
    expect(configError({ NODE_ENV: nodeEnv, SECRET_KEY: 'a'.repeat(32) })).toBe(
      'SECRET_KEY is too easy to guess (about 9 bits of estimated entropy, 128 needed); generate one with: openssl rand -hex 32',
    );
    expect(configError({ NODE_ENV: nodeEnv, SECRET_KEY: 'short-key' })).toMatch(/^SECRET_KEY is too easy to guess/);
  });

  it('refuses the keys published in the tutorial and the posts, in any environment', () => {
    expect(configError({ NODE_ENV: 'production', SECRET_KEY: TUTORIAL_KEY })).toMatch(/^SECRET_KEY is a published example key/);
    expect(configError({ ...DEVELOPMENT, SECRET_KEY: TUTORIAL_KEY })).toMatch(/published/);
    expect(configError({ NODE_ENV: 'production', SECRET_KEY: 'your-secret-key-keep-it-secret' })).toMatch(/published/);
    expect(configError({ ...DEVELOPMENT, SECRET_KEY: `${TUTORIAL_KEY.toUpperCase()} ` })).toMatch(/^SECRET_KEY is a published example key/);
  });

  it('refuses weak previous keys too, naming which', () => {
    expect(configError({ SECRET_KEY: STRONG_KEY, PREVIOUS_SECRET_KEYS: `${TUTORIAL_KEY}` })).toMatch(/^PREVIOUS_SECRET_KEYS entry 1 is a published example key/);
    expect(configError({ ...DEVELOPMENT, PREVIOUS_SECRET_KEYS: `${STRONG_KEY},${'password'.repeat(4)}` })).toMatch(
      /^PREVIOUS_SECRET_KEYS entry 2 is too easy to guess \(about 4 bits of estimated entropy, 128 needed\); remove it, as tokens signed with it can be forged/,
    );
  });

  it('neither needs nor checks a key for the admin CLI, which signs no tokens', () => {
    expect(loadConfig({}, { signsTokens: false, serves: false })).toMatchObject({ nodeEnv: 'production', secretKeyGenerated: true, previousSecretKeys: [] });
    expect(loadConfig({ SECRET_KEY: 'secret', PREVIOUS_SECRET_KEYS: 'secret' }, { signsTokens: false, serves: false }).secretKey).not.toBe('secret');
  });

  it.each([
    ['a short FIRST_SUPERUSER_PASSWORD', { FIRST_SUPERUSER_PASSWORD: 'short' }, 'FIRST_SUPERUSER_PASSWORD must be set, at least 8 characters, with FIRST_SUPERUSER'],
    ['an over-long FIRST_SUPERUSER_PASSWORD', { FIRST_SUPERUSER_PASSWORD: 'x1'.repeat(513) }, 'FIRST_SUPERUSER_PASSWORD must be at most 1024 characters'],
    ['a common FIRST_SUPERUSER_PASSWORD', { FIRST_SUPERUSER_PASSWORD: 'password1' }, 'FIRST_SUPERUSER_PASSWORD is refused: Password is too common'],
    ['a one-character FIRST_SUPERUSER_PASSWORD', { FIRST_SUPERUSER_PASSWORD: ' '.repeat(12) }, 'FIRST_SUPERUSER_PASSWORD is refused: Password must not be only whitespace or one repeated character'],
    ['a FIRST_SUPERUSER_PASSWORD containing the name', { FIRST_SUPERUSER_PASSWORD: 'Chief-of-all-2026' }, 'FIRST_SUPERUSER_PASSWORD is refused: Password must not contain the username'],
  ])('refuses %s as it would any new password, in one line', (_case, env, message) => {
    expect(configError({ ...DEVELOPMENT, FIRST_SUPERUSER: 'chief', ...env })).toBe(message);
  });

  it('accepts a FIRST_SUPERUSER_PASSWORD the password rules accept', () => {
    expect(loadConfig({ ...DEVELOPMENT, FIRST_SUPERUSER: 'chief', FIRST_SUPERUSER_PASSWORD: 'tangerine-orbit-41' }).firstSuperuser).toEqual({
      username: 'chief',
      password: 'tangerine-orbit-41',
    });
  });

  it('needs PUBLIC_URL in production and beyond loopback, where the listening address is not the one users reach', () => {
    const required = /^PUBLIC_URL is required in production and when HOST is not a loopback address/;
    expect(configError({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY })).toMatch(required);
    expect(configError({ ...DEVELOPMENT, HOST: '0.0.0.0', SECRET_KEY: STRONG_KEY })).toMatch(required);
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY }, { serves: false }).publicUrl).toBe('http://127.0.0.1:8000');
  });

  it('makes PUBLIC_URL the issuer unless JWT_ISSUER says otherwise', () => {
    expect(loadConfig({ ...DEVELOPMENT, ...PUBLIC }).jwtIssuer).toBe('https://id.example.com');
    expect(loadConfig(DEVELOPMENT).jwtIssuer).toBe('http://127.0.0.1:8000');
    expect(loadConfig({ ...DEVELOPMENT, ...PUBLIC, JWT_ISSUER: 'urn:example:issuer' }).jwtIssuer).toBe('urn:example:issuer');
  });

  it('signs with HS256 unless JWT_ALGORITHM names ES256 or RS256', () => {
    expect(loadConfig(DEVELOPMENT).jwtAlgorithm).toBe('HS256');
    expect(loadConfig({ ...DEVELOPMENT, JWT_ALGORITHM: 'es256' }).jwtAlgorithm).toBe('ES256');
    expect(loadConfig({ ...DEVELOPMENT, JWT_ALGORITHM: 'RS256' }).jwtAlgorithm).toBe('RS256');
    expect(configError({ ...DEVELOPMENT, JWT_ALGORITHM: 'none' })).toBe('JWT_ALGORITHM must be one of HS256, ES256, RS256, got "none"');
    expect(configError({ ...DEVELOPMENT, JWT_ALGORITHM: 'EdDSA' })).toMatch(/^JWT_ALGORITHM must be one of/);
  });

  it('needs a key when listening beyond loopback, even in development', () => {
    expect(configError({ ...DEVELOPMENT, HOST: '0.0.0.0' })).toMatch(/^SECRET_KEY is required when HOST/);
  });

  it('never loads demo data in production or beyond loopback by default', () => {
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY, ...PUBLIC }).demoData).toBe(false);
    expect(loadConfig({ ...DEVELOPMENT, HOST: '0.0.0.0', SECRET_KEY: STRONG_KEY, ...PUBLIC }).demoData).toBe(false);
    expect(configError({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY, DEMO_DATA: 'true' })).toMatch(/^DEMO_DATA/);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT must be between/],
    [{ ACCESS_TOKEN_EXPIRE_MINUTES: '0' }, /^ACCESS_TOKEN_EXPIRE_MINUTES/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL/],
    [{ DEMO_DATA: 'maybe' }, /^DEMO_DATA must be true or false/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL/],
    [{ PUBLIC_URL: 'id.example.com' }, /^PUBLIC_URL must be an absolute http:\/\/ or https:\/\/ URL/],
    [{ PUBLIC_URL: 'ftp://id.example.com' }, /^PUBLIC_URL must be an absolute/],
    [{ PUBLIC_URL: 'https://' }, /^PUBLIC_URL must be an absolute/],
    [{ PUBLIC_URL: 'https://id.example.com/?next=1' }, /^PUBLIC_URL must have no query or fragment/],
    [{ PUBLIC_URL: 'https://id.example.com/#docs' }, /^PUBLIC_URL must have no query or fragment/],
    [{ PUBLIC_URL: 'https://admin:hunter2@id.example.com' }, /^PUBLIC_URL must not contain a user name or password$/],
  ])('names the variable in error for %p', (env, message) => {
    expect(configError({ ...DEVELOPMENT, ...(env as Record<string, string>) })).toMatch(message);
  });

  it('reads the rotation keys as a comma-separated list', () => {
    const other = '6d88f246f1fcafd372ec26cb8a139032b5777b31ceb4f334023d6055bfd3dffd';
    expect(loadConfig({ SECRET_KEY: STRONG_KEY, PREVIOUS_SECRET_KEYS: ` ${other} ,`, ...PUBLIC }).previousSecretKeys).toEqual([other]);
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});
