import type { Context } from 'hono';
import type { z } from 'zod';
import { InvalidRequestError, type RequestIssue } from '../errors';

/**
 * Parses `value` with `schema` or throws {@link InvalidRequestError} listing each issue with its path.
 *
 * @example
 * const query = parseOrThrow('query', searchQuerySchema, c.req.query());
 */
export function parseOrThrow<S extends z.ZodType>(part: InvalidRequestError['part'], schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidRequestError(part, parsed.error.issues.map(toRequestIssue));
  return parsed.data;
}

/** The request body as JSON, or {@link InvalidRequestError} when it is missing or malformed. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new InvalidRequestError('body', [{ path: '(body)', message: 'is empty; send a JSON object' }]);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidRequestError('body', [{ path: '(body)', message: `is not valid JSON (${(error as Error).message})` }]);
  }
}

function toRequestIssue(issue: z.core.$ZodIssue): RequestIssue {
  return { path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'), message: issue.message };
}
