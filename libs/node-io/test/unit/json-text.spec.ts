import { z } from 'zod';
import { parseJsonText, zodIssuesText } from '../../src';

describe('parseJsonText', () => {
  it('answers with the value, or with the parser’s reason instead of throwing', () => {
    expect(parseJsonText('{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } });
    expect(parseJsonText('{oops')).toEqual({ ok: false, reason: expect.stringMatching(/^not JSON \(.+\)$/) });
  });
});

describe('zodIssuesText', () => {
  it('names every issue by its path, the value itself by the root name', () => {
    const schema = z.object({ version: z.literal(1), streams: z.object({ a: z.string() }) });
    const nested = schema.safeParse({ version: 2, streams: { a: 3 } });
    const root = schema.safeParse('text');
    expect(zodIssuesText(nested.error as z.ZodError, '(file)')).toMatch(/^version: .+; streams\.a: .+$/);
    expect(zodIssuesText(root.error as z.ZodError, '(file)')).toMatch(/^\(file\): /);
  });
});
