import { IsString } from 'class-validator';
import { FastApiValidationPipe, FormModel, MAX_NESTING_DEPTH } from './fastapi-validation.pipe.js';
import { RequestValidationError } from './request-validation.js';

class Titled {
  @IsString()
  title: string;
}

@FormModel()
class TitledForm {
  @IsString()
  title: string;
}

/** `{"a": {"a": … 1 …}}`, `levels` objects deep, built without recursion. */
function nested(levels: number, leaf: unknown = 1): Record<string, unknown> {
  let value: unknown = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value as Record<string, unknown>;
}

function issuesOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestValidationError) return error.issues;
    throw error;
  }
  throw new Error('no validation error');
}

describe('FastApiValidationPipe', () => {
  const pipe = new FastApiValidationPipe();
  const body = (value: unknown) => () => pipe.transform(value, { type: 'body', metatype: Titled });

  it('reports a missing JSON body as one missing body, and a missing form as its missing fields', () => {
    expect(issuesOf(body(undefined))).toEqual([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
    expect(issuesOf(() => pipe.transform(undefined, { type: 'body', metatype: TitledForm }))).toEqual([
      expect.objectContaining({ loc: ['body', 'title'] }),
    ]);
  });

  it('answers 422 for a body nested 10,000 levels deep instead of overflowing the stack', () => {
    expect(issuesOf(body({ title: 'x', extra: nested(10_000) }))).toEqual([
      { type: 'json_invalid', loc: ['body'], msg: 'Input is nested too deeply', input: {}, ctx: { max_depth: MAX_NESTING_DEPTH } },
    ]);
    let deepArray: unknown = [];
    for (let i = 0; i < 10_000; i++) deepArray = [deepArray];
    expect(issuesOf(body({ title: deepArray }))).toEqual([expect.objectContaining({ type: 'json_invalid' })]);
  });

  it('still reads ordinary nesting: a nested value where a string belongs is a type error', () => {
    expect(issuesOf(body({ title: nested(5) }))).toEqual([expect.objectContaining({ type: 'string_type', loc: ['body', 'title'] })]);
    expect(pipe.transform({ title: 'x', extra: nested(MAX_NESTING_DEPTH - 1) }, { type: 'body', metatype: Titled })).toEqual({ title: 'x' });
  });

  it('does not echo a body that is not an object: it may carry a password', () => {
    const issue = { type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from' };
    expect(issuesOf(body('username=jane&password=hunter2-secret'))).toEqual([issue]);
    expect(issuesOf(body([{ username: 'jane', password: 'hunter2-secret' }]))).toEqual([issue]);
  });

  it('answers 422 for a lone surrogate, which no database stores as sent, but not for a surrogate pair', () => {
    expect(issuesOf(body({ title: 'a\ud800b' }))).toEqual([
      { type: 'string_unicode', loc: ['body', 'title'], msg: 'Input should be a valid string, unable to parse raw data as a unicode string', input: null },
    ]);
    expect(issuesOf(body({ title: 'x', extra: ['\udc00'] }))).toEqual([expect.objectContaining({ type: 'string_unicode', loc: ['body', 'extra', 0] })]);
    expect(pipe.transform({ title: '😀 \ud83d\ude00' }, { type: 'body', metatype: Titled })).toEqual({ title: '😀 😀' });
  });
});
