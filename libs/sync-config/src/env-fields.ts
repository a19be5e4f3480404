import { z } from 'zod';

/** A positive integer read from an environment variable, with its default. */
export const envPositiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `true`/`false`/`1`/`0` read from an environment variable, with its default. */
export const envFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true, false, 1 or 0' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/** JSON text read from an environment variable (then piped into the schema of its content). */
export const envJson = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
    return z.NEVER;
  }
});

/** `"pk,sk"` → `['pk', 'sk']`: the table's partition key and optional sort key. */
export const envKeyAttributes = z
  .string({ message: 'is required: the table key attributes, e.g. "pk,sk"' })
  .transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string())
      .min(1, 'must name the partition key (and the sort key), e.g. "pk,sk"')
      .max(2, 'takes at most two attributes: partition key and sort key')
      .refine((names) => new Set(names).size === names.length, {
        // A name listed twice would give one document per partition key: items that differ by sort key would merge.
        message: 'names the same attribute twice: list the partition key, then the sort key (if the table has one), e.g. "pk,sk"',
      }),
  );

/** Parses `env` with `schema`, or throws an error listing every bad variable. */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, component: string, toError: (component: string, issues: string[]) => Error): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw toError(component, parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
}
