import { formActionSource, withFormAction } from './form-action.js';

const POLICY = "default-src 'self';script-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'self'";

describe('formActionSource', () => {
  it.each([
    ['https://app.example/cb?x=1', 'https://app.example'],
    ['https://app.example:8443/cb', 'https://app.example:8443'],
    ['http://127.0.0.1:5173/cb', 'http://127.0.0.1:5173'],
    ['com.example.app:/oauth2redirect', 'com.example.app:'],
    ['http://[::1]:8080/cb', 'http:'],
  ])('allows %s by %s', (uri, source) => {
    expect(formActionSource(uri)).toBe(source);
  });
});

describe('withFormAction', () => {
  it('adds the redirect URI to form-action and keeps every other directive', () => {
    expect(withFormAction(POLICY, 'https://app.example/cb')).toBe(
      "default-src 'self';script-src 'self';form-action 'self' https://app.example;frame-ancestors 'none';base-uri 'self'",
    );
  });

  it('adds form-action to a policy without one', () => {
    expect(withFormAction("default-src 'self'", 'com.example.app:/cb')).toBe("default-src 'self';form-action 'self' com.example.app:");
  });
});
