import { consentPage, loginPage } from './authorization-pages.js';
import type { AuthorizationRequest } from './authorization-request.js';

const REQUEST: AuthorizationRequest = {
  clientId: 'client~0123456789abcdef01234567',
  redirectUri: 'https://app.example/cb?a=1&b=2',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  scopes: ['me', 'items'],
  state: '"><script>alert(1)</script>',
};

describe('loginPage', () => {
  const html = loginPage('<b>Evil & Co</b>', REQUEST, 'csrf-token', 'Incorrect username or password', 'jo"hn');

  it('names the client in the heading, escaped', () => {
    expect(html).toContain('<h1>Sign in to &lt;b&gt;Evil &amp; Co&lt;/b&gt;</h1>');
  });

  it('carries the request and the CSRF token in hidden fields, escaped', () => {
    expect(html).toContain('<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
    expect(html).toContain('<input type="hidden" name="redirect_uri" value="https://app.example/cb?a=1&amp;b=2">');
    expect(html).toContain('<input type="hidden" name="code_challenge_method" value="S256">');
    expect(html).toContain('<input type="hidden" name="csrf_token" value="csrf-token">');
    expect(html).not.toContain('<script>');
  });

  it('labels its inputs, and puts the problem first in an alert the inputs point to', () => {
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('value="jo&quot;hn" aria-describedby="problem"');
    expect(html.indexOf('role="alert"')).toBeLessThan(html.indexOf('<form'));
  });

  it('has no alert without a problem', () => {
    expect(loginPage('App', REQUEST, 'csrf-token')).not.toContain('role="alert"');
  });
});

describe('consentPage', () => {
  it('lists each scope with its description and offers Allow, Deny and sign-out', () => {
    const html = consentPage('App', 'johndoe', { ...REQUEST, scopes: ['items'] }, 'csrf-token');
    expect(html).toContain('<li>Read and change your own items (<code>items</code>)</li>');
    expect(html).not.toContain('<code>me</code>');
    expect(html).toContain('value="allow">Allow</button>');
    expect(html).toContain('value="deny">Deny</button>');
    expect(html).toContain('<form method="post" action="/authorize/logout">');
  });
});
