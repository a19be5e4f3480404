import type { z } from 'zod';
import { InvalidIndexWriterConfigError } from './errors';

/** Parses `input` with `schema`, or throws `InvalidIndexWriterConfigError` naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    throw new InvalidIndexWriterConfigError(subject, problems);
  }
  return result.data;
}
