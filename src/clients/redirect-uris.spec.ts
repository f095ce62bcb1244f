import { matchesRegisteredRedirectUri, REDIRECT_URI_MAX_LENGTH, redirectUriProblem } from './redirect-uris.js';

describe('redirectUriProblem', () => {
  it.each([
    ['an https URI', 'https://app.example/callback'],
    ['an https URI with a port and a query', 'https://app.example:8443/oauth/cb?tenant=1'],
    ['an https URI on an IP address', 'https://192.0.2.10/cb'],
    ['http on 127.0.0.1', 'http://127.0.0.1/callback'],
    ['http on 127.0.0.1 with a port', 'http://127.0.0.1:8400/callback'],
    ['http on [::1]', 'http://[::1]/callback'],
    ['http on localhost', 'http://localhost:3000/callback'],
    ['a private-use scheme with a path', 'com.example.app:/callback'],
    ['a private-use scheme with an authority', 'com.example.app://oauth/callback'],
    ['a URI of exactly the longest length', `https://app.example/${'a'.repeat(REDIRECT_URI_MAX_LENGTH - 20)}`],
  ])('accepts %s', (_case, uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });

  it.each([
    ['a relative reference', '/callback', /absolute/],
    ['an empty string', '', /absolute/],
    ['a host without a scheme', 'app.example/callback', /absolute/],
    ['a fragment', 'https://app.example/cb#token', /fragment/],
    ['an empty fragment', 'https://app.example/cb#', /fragment/],
    ['a user name', 'https://user@app.example/cb', /user name or password/],
    ['a user name and password', 'https://user:pw@app.example/cb', /user name or password/],
    ['a wildcard host', 'https://*.app.example/cb', /wildcard/],
    ['a wildcard in the path', 'https://app.example/cb/*', /wildcard/],
    ['http on another host', 'http://app.example/cb', /loopback/],
    ['http on another loopback address', 'http://127.0.0.2/cb', /loopback/],
    ['http on a name that starts like localhost', 'http://localhost.evil.example/cb', /loopback/],
    ['javascript:', 'javascript:alert(1)', /javascript:/],
    ['data:', 'data:text/html,<script>alert(1)</script>', /data:/],
    ['file:', 'file:///etc/passwd', /file:/],
    ['a scheme without a dot', 'myapp:/callback', /myapp:/],
    ['ftp:', 'ftp://app.example/cb', /ftp:/],
    ['an uppercase scheme', 'HTTPS://app.example/cb', /normal form, here https:\/\/app\.example\/cb/],
    ['an uppercase host', 'https://App.Example/cb', /normal form/],
    ['a missing path', 'https://app.example', /normal form, here https:\/\/app\.example\/$/],
    ['a dot segment', 'https://app.example/a/../cb', /normal form/],
    ['the default port written out', 'https://app.example:443/cb', /normal form/],
    ['a space', 'https://app.example/c b', /normal form/],
    ['surrounding whitespace', ' https://app.example/cb', /normal form/],
    ['a backslash', 'https://app.example\\cb', /normal form/],
    ['a Unicode host', 'https://bücher.example/cb', /normal form, here https:\/\/xn--bcher-kva\.example\/cb/],
    ['a URI that is too long', `https://app.example/${'a'.repeat(REDIRECT_URI_MAX_LENGTH)}`, /at most 2000 characters/],
  ])('refuses %s', (_case, uri, problem) => {
    expect(redirectUriProblem(uri)).toMatch(problem);
  });
});

describe('matchesRegisteredRedirectUri', () => {
  const registered = ['https://app.example/cb', 'com.example.app:/callback'];

  it('accepts a registered URI, character for character', () => {
    expect(matchesRegisteredRedirectUri(registered, 'https://app.example/cb')).toBe(true);
    expect(matchesRegisteredRedirectUri(registered, 'com.example.app:/callback')).toBe(true);
  });

  it('refuses everything when nothing is registered', () => {
    expect(matchesRegisteredRedirectUri([], 'https://app.example/cb')).toBe(false);
  });

  it.each([
    ['another host', 'https://evil.example/cb'],
    ['a host that ends like it', 'https://app.example.evil.example/cb'],
    ['userinfo naming the registered host', 'https://app.example@evil.example/cb'],
    ['userinfo before the registered host', 'https://evil.example@app.example/cb'],
    ['path traversal', 'https://app.example/cb/../evil'],
    ['an encoded path traversal', 'https://app.example/cb/%2e%2e/evil'],
    ['an extra path segment', 'https://app.example/cb/evil'],
    ['a longer path', 'https://app.example/cbx'],
    ['another case in the host', 'https://APP.example/cb'],
    ['another case in the path', 'https://app.example/CB'],
    ['another case in the scheme', 'HTTPS://app.example/cb'],
    ['a fragment', 'https://app.example/cb#evil'],
    ['a trailing slash', 'https://app.example/cb/'],
    ['a query added', 'https://app.example/cb?next=https://evil.example'],
    ['an empty query added', 'https://app.example/cb?'],
    ['an encoded character', 'https://app.example/%63b'],
    ['an encoded slash', 'https://app.example%2Fcb'],
    ['a port added', 'https://app.example:8443/cb'],
    ['the default port written out', 'https://app.example:443/cb'],
    ['http instead of https', 'http://app.example/cb'],
    ['a prefix of it', 'https://app.example/c'],
    ['surrounding whitespace', ' https://app.example/cb'],
    ['another private-use scheme', 'com.evil.app:/callback'],
    ['a private-use path with an extra segment', 'com.example.app:/callback/evil'],
  ])('refuses %s', (_case, presented) => {
    expect(matchesRegisteredRedirectUri(registered, presented)).toBe(false);
  });

  describe('for a loopback IP registration (RFC 8252 §7.3)', () => {
    const loopback = ['http://127.0.0.1/callback', 'http://[::1]:8080/cb?app=desktop'];

    it('accepts any port, or none', () => {
      expect(matchesRegisteredRedirectUri(loopback, 'http://127.0.0.1:51004/callback')).toBe(true);
      expect(matchesRegisteredRedirectUri(loopback, 'http://127.0.0.1:1/callback')).toBe(true);
      expect(matchesRegisteredRedirectUri(loopback, 'http://127.0.0.1:65535/callback')).toBe(true);
      expect(matchesRegisteredRedirectUri(loopback, 'http://127.0.0.1/callback')).toBe(true);
      expect(matchesRegisteredRedirectUri(loopback, 'http://[::1]:49152/cb?app=desktop')).toBe(true);
      expect(matchesRegisteredRedirectUri(loopback, 'http://[::1]/cb?app=desktop')).toBe(true);
    });

    it.each([
      ['another path', 'http://127.0.0.1:51004/callback/evil'],
      ['a trailing slash', 'http://127.0.0.1:51004/callback/'],
      ['another query', 'http://[::1]:49152/cb?app=evil'],
      ['a query added', 'http://127.0.0.1:51004/callback?x=1'],
      ['a fragment', 'http://127.0.0.1:51004/callback#x'],
      ['https', 'https://127.0.0.1:51004/callback'],
      ['the other loopback address', 'http://[::1]:51004/callback'],
      ['localhost', 'http://localhost:51004/callback'],
      ['another address', 'http://127.0.0.2:51004/callback'],
      ['userinfo after the port', 'http://127.0.0.1:51004@evil.example/callback'],
      ['a host after the loopback one', 'http://127.0.0.1.evil.example/callback'],
      ['an empty port', 'http://127.0.0.1:/callback'],
      ['a port out of range', 'http://127.0.0.1:65536/callback'],
      ['a port with a leading zero', 'http://127.0.0.1:080/callback'],
      ['no path', 'http://127.0.0.1:51004'],
    ])('still refuses %s', (_case, presented) => {
      expect(matchesRegisteredRedirectUri(loopback, presented)).toBe(false);
    });
  });

  it('gives localhost no port exception (RFC 8252 §8.3)', () => {
    expect(matchesRegisteredRedirectUri(['http://localhost/callback'], 'http://localhost/callback')).toBe(true);
    expect(matchesRegisteredRedirectUri(['http://localhost/callback'], 'http://localhost:8080/callback')).toBe(false);
    expect(matchesRegisteredRedirectUri(['http://localhost:3000/callback'], 'http://localhost:3001/callback')).toBe(false);
  });

  it('gives a port of a non-loopback registration no exception', () => {
    expect(matchesRegisteredRedirectUri(['https://app.example:8443/cb'], 'https://app.example:9443/cb')).toBe(false);
    expect(matchesRegisteredRedirectUri(['https://127.0.0.1/cb'], 'https://127.0.0.1:8443/cb')).toBe(false);
  });
});
