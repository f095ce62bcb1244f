import { ArrayMaxSize, IsArray, IsInt, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';
import { toValidationIssues } from './request-validation.js';

class Limited {
  @MinLength(3)
  @MaxLength(8, { message: 'far too long' })
  name: string;

  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  count: number;

  @Matches(/^[a-z]+$/, { context: { pattern: '^[a-z]+$' } })
  code: string;
}

class Renamed extends Limited {
  @MaxLength(4)
  declare name: string;
}

class Listed {
  @IsArray()
  @ArrayMaxSize(2)
  tags: unknown;
}

function issuesFor<T extends object>(dto: new () => T, values: Partial<T>) {
  return toValidationIssues(validateSync(Object.assign(new dto(), { name: 'abcd', count: 1, code: 'ok', ...values })), 'body');
}

describe('the 422 details of a failed rule', () => {
  it('give the declared length limits, whatever the rule message says', () => {
    expect(issuesFor(Limited, { name: 'ab' })).toEqual([
      { type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 3 characters', input: 'ab', ctx: { min_length: 3 } },
    ]);
    expect(issuesFor(Limited, { name: 'abcdefghi' })).toEqual([
      { type: 'string_too_long', loc: ['body', 'name'], msg: 'String should have at most 8 characters', input: 'abcdefghi', ctx: { max_length: 8 } },
    ]);
  });

  it('give the declared bounds of a number, exactly', () => {
    expect(issuesFor(Limited, { count: 0 })).toEqual([
      { type: 'greater_than_equal', loc: ['body', 'count'], msg: 'Input should be greater than or equal to 1', input: 0, ctx: { ge: 1 } },
    ]);
    expect(issuesFor(Limited, { count: Number.MAX_SAFE_INTEGER + 2 })).toEqual([
      expect.objectContaining({ type: 'less_than_equal', msg: 'Input should be less than or equal to 9007199254740991', ctx: { le: Number.MAX_SAFE_INTEGER } }),
    ]);
  });

  it('give the limit a subclass declares over the one it inherits', () => {
    expect(issuesFor(Renamed, { name: 'abcde' })).toEqual([expect.objectContaining({ type: 'string_too_long', ctx: { max_length: 4 } })]);
  });

  it('give the pattern as the rule declares it', () => {
    expect(issuesFor(Limited, { code: 'NO' })).toEqual([
      { type: 'string_pattern_mismatch', loc: ['body', 'code'], msg: "String should match pattern '^[a-z]+$'", input: 'NO', ctx: { pattern: '^[a-z]+$' } },
    ]);
  });

  it('give a list that is not one, or too long, in pydantic words', () => {
    expect(toValidationIssues(validateSync(Object.assign(new Listed(), { tags: 'a' })), 'body')).toEqual([
      { type: 'list_type', loc: ['body', 'tags'], msg: 'Input should be a valid list', input: 'a' },
    ]);
    expect(toValidationIssues(validateSync(Object.assign(new Listed(), { tags: ['a', 'b', 'c'] })), 'body')).toEqual([
      {
        type: 'too_long',
        loc: ['body', 'tags'],
        msg: 'List should have at most 2 items after validation, not 3',
        input: ['a', 'b', 'c'],
        ctx: { field_type: 'List', max_length: 2, actual_length: 3 },
      },
    ]);
  });
});
