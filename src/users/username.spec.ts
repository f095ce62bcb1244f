import { usernameKey, usernameProblem, usernameSkeleton } from './username.js';

describe('usernameProblem (UTS #39 "Highly Restrictive", and more)', () => {
  it.each(['johndoe', 'alice_1', 'j.doe-2', 'josé', 'Zoë', 'иван', 'ελληνικά', 'محمد123', 'たなか', 'タナカ太郎', 'tanaka太郎', '김민수', 'kim김', 'ㄅㄆ中文', 'ß-user'])(
    'accepts %j (one script, or Latin with Chinese, Japanese or Korean)',
    (username) => expect(usernameProblem(username)).toBeUndefined(),
  );

  it.each([
    ['аlice', 'Cyrillic, Latin'],
    ['jοhndoe', 'Latin, Greek'],
    ['иванov', 'Cyrillic, Latin'],
    ['user_١٢', 'Latin, Arabic'],
    ['ΑLICE', 'Greek, Latin'],
    ['иван김', 'Cyrillic, Hangul'],
  ])('refuses %j, which mixes %s', (username, scripts) => {
    expect(usernameProblem(username)).toBe(`this username mixes scripts (${scripts}); use one, or Latin with Chinese, Japanese or Korean`);
  });

  it.each(['...', '---', '_', '._-'])('refuses %j, which has no letter or digit', (username) => {
    expect(usernameProblem(username)).toBe('this username needs at least one letter or digit');
  });

  it.each(['ｊｏｈｎｄｏｅ', 'ﬁle', 'ſtar', '\uFDFA', 'ǅemal'])('refuses %j, which NFKC would change', (username) => {
    expect(usernameProblem(username)).toMatch(/^this username must be typed in plain characters/);
  });

  it('refuses letters of scripts not recommended for identifiers (Cherokee, Runic)', () => {
    expect(usernameProblem('Ꭺlice')).toBe('this username uses "Ꭺ", from a script not recommended for identifiers');
    expect(usernameProblem('ᚠᚢᚦ')).toBe('this username uses "ᚠ", from a script not recommended for identifiers');
  });

  it('refuses a name whose normalised forms would not fit their columns', () => {
    expect(usernameProblem('\uFDFA'.repeat(20))).toBe('this username is too long once normalised');
  });
});

describe('usernameSkeleton', () => {
  it.each([
    ['аlice', 'alice'],
    ['aIice', 'alice'],
    ['jοhndoe', 'johndoe'],
    ['j0hndoe', 'johndoe'],
    ['rnodern', 'modern'],
    ['PAYPAI', 'paypal'],
  ])('gives %j the skeleton of %j', (lookalike, original) => {
    expect(usernameKey(lookalike)).not.toBe(usernameKey(original));
    expect(usernameSkeleton(lookalike)).toBe(usernameSkeleton(original));
  });

  it.each([
    ['josé', 'jose'],
    ['alice', 'bob'],
    ['anna', 'hanna'],
  ])('keeps %j and %j apart', (one, other) => {
    expect(usernameSkeleton(one)).not.toBe(usernameSkeleton(other));
  });
});
