import { z } from 'zod';
import { InvalidIndexWriterConfigError } from './errors';

/** A `RetryPolicy`: at least one attempt, and the base delay no larger than the max delay. */
export const retryPolicySchema = z
  .object({ maxAttempts: z.int().min(1), baseDelayMs: z.number().min(0), maxDelayMs: z.number().min(0) })
  .refine((retry) => retry.maxDelayMs >= retry.baseDelayMs, { message: 'maxDelayMs must be ≥ baseDelayMs', path: ['maxDelayMs'] });

/** Parses `input` with `schema`, or throws `InvalidIndexWriterConfigError` naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    throw new InvalidIndexWriterConfigError(subject, problems);
  }
  return result.data;
}
