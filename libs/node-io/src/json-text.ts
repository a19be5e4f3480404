import type { z } from 'zod';

/** Parsed JSON, or why the text is not JSON. */
export type JsonText = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/**
 * `JSON.parse` that answers instead of throwing, with the parser's words as the reason.
 *
 * @example
 * parseJsonText('{oops'); // { ok: false, reason: 'not JSON (Expected property name …)' }
 */
export function parseJsonText(text: string): JsonText {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
}

/**
 * Every issue of a zod error as `path: message`, joined by `; ` (`root` names an issue of the value itself).
 *
 * @example
 * zodIssuesText(schema.safeParse(value).error, '(file)'); // 'version: Invalid input: expected 1; streams: Required'
 */
export function zodIssuesText(error: z.ZodError, root: string): string {
  return error.issues.map((issue) => `${issue.path.join('.') || root}: ${issue.message}`).join('; ');
}
