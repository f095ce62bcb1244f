import { jest } from '@jest/globals';
import { validateSync } from 'class-validator';
import { USERNAME_MAX_LENGTH, USERNAME_RULE, UsernameRules } from './field-rules.js';

class Named {
  @UsernameRules()
  username: string;
}

function named(username: string): Named {
  return Object.assign(new Named(), { username });
}

describe('the username rules', () => {
  afterEach(() => jest.restoreAllMocks());

  it('refuse an over-long name as too long without normalising it', () => {
    const normalize = jest.spyOn(String.prototype, 'normalize');
    const [error] = validateSync(named('\uFDFA'.repeat(60_000)));
    expect(Object.keys(error.constraints ?? {})).toEqual(expect.arrayContaining(['maxLength']));
    expect(error.constraints).not.toHaveProperty(USERNAME_RULE);
    expect(normalize).not.toHaveBeenCalled();
  });

  it('still refuse a name that fits but whose normalised key does not', () => {
    const [error] = validateSync(named('\uFDFA'.repeat(USERNAME_MAX_LENGTH)));
    expect(error.constraints).toHaveProperty(USERNAME_RULE);
  });
});
