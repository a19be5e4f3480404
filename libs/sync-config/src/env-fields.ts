import { z } from 'zod';
import { markConfigurationError } from './errors';

/** The SQS message size limit (1 MiB): no message body we send may be larger. */
export const SQS_MAX_MESSAGE_BYTES = 1024 * 1024;

/** The smallest maximum message size an SQS queue can be set to. */
export const SQS_MIN_MESSAGE_BYTES = 1024;

/** A whole number in `[min, max]` read from an environment variable, with its default. */
export const envInt = (fallback: number, { min, max = Number.MAX_SAFE_INTEGER }: { readonly min: number; readonly max?: number }) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be ≥ ${min}`)
    .max(max, `must be ≤ ${max}`)
    .default(fallback);

/** A positive integer (at most `max`) read from an environment variable, with its default. */
export const envPositiveInt = (fallback: number, max?: number) => envInt(fallback, { min: 1, max });

/** A non-negative integer (at most `max`) read from an environment variable, with its default. */
export const envNonNegativeInt = (fallback: number, max?: number) => envInt(fallback, { min: 0, max });

/** A message size in bytes, at most the SQS limit. */
export const envSqsMessageBytes = (fallback: number) => envInt(fallback, { min: SQS_MIN_MESSAGE_BYTES, max: SQS_MAX_MESSAGE_BYTES });

/** `true`/`false`/`1`/`0` read from an environment variable, with its default. */
export const envFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true, false, 1 or 0' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/**
 * An `http://` or `https://` URL read from an environment variable (other schemes cannot reach any of our
 * endpoints). `what` and `example` complete the message: "must be an http(s) URL of <what>, e.g. <example>".
 */
export const envHttpUrl = (what: string, example: string) =>
  z.url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined
        ? `is required: the http(s) URL of ${what}, e.g. ${example}`
        : `must be an http(s) URL of ${what}, e.g. ${example}`,
  });

/**
 * The SigV4 service of the OpenSearch endpoint: `es`, a managed domain. Serverless (`aoss`) is refused here as the
 * sync definition refuses it, so that no environment can route around that refusal.
 */
export const envOpenSearchService = z
  .literal('es', {
    error: (issue) =>
      issue.input === 'aoss'
        ? 'must be es: OpenSearch Serverless (aoss) is not supported — the sync orders writes with compare-and-set (if_seq_no/if_primary_term) after a realtime _mget, which Serverless does not document (docs/your-own-table.md "OpenSearch Serverless")'
        : 'must be es (a managed OpenSearch domain)',
  })
  .default('es');

/** An AWS region name, `us-east-1` when unset. */
export const envRegion = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region name, e.g. eu-west-1')
  .default('us-east-1');

/**
 * JSON text read from an environment variable (then piped into the schema of its content); `whenMissing` says
 * what to set, e.g. `is required: the index routes as JSON, e.g. [{"index":"items","match":{"always":true}}]`.
 */
export const envJson = (whenMissing: string) =>
  z.string({ error: whenMissing }).transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
      return z.NEVER;
    }
  });

/**
 * The `when` of a cross-field `.refine`: run the rule as soon as the variables it compares parsed on their own,
 * even while other variables are bad, so that one load reports every problem.
 *
 * @example
 * schema.refine((e) => e.A <= e.B, { path: ['A'], message: 'must be ≤ B', when: whenParsed('A', 'B') });
 */
export const whenParsed =
  (...names: readonly string[]) =>
  (payload: z.core.ParsePayload): boolean =>
    !payload.issues.some((issue) => names.includes(String(issue.path?.[0])));

/** Parses `env` with `schema`, or throws an error listing every bad variable, marked as a configuration error. */
export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  component: string,
  toError: (component: string, issues: string[]) => Error,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw markConfigurationError(
    toError(
      component,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    ),
  );
}
