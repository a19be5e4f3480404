import { z } from 'zod';
import { InvalidIndexNameError, InvalidIndexRoutesError } from './errors';
import { validateIndexBaseName } from './index-names';
import type { IndexRoute, JsonObject, RoutableChange, RouteMatch } from './types';

const MATCH_SHAPES_DESCRIPTION = '{ "attribute", "equals" }, { "attribute", "prefix" } or { "always": true }';

const attributeName = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

const indexBaseName = z.string({ error: 'must be a string' }).superRefine((name, context) => {
  try {
    validateIndexBaseName(name);
  } catch (error) {
    if (!(error instanceof InvalidIndexNameError)) throw error;
    context.addIssue({ code: 'custom', message: error.reason });
  }
});

const matchShapes = [
  ['always', z.strictObject({ always: z.literal(true, { error: 'must be true' }) })],
  ['equals', z.strictObject({ attribute: attributeName, equals: z.string({ error: 'must be a string' }) })],
  ['prefix', z.strictObject({ attribute: attributeName, prefix: z.string({ error: 'must be a string' }) })],
] as const;

// Chosen by its distinctive key rather than z.union, so a bad field is reported as such, not as "no option fits".
const routeMatchSchema = z.unknown().transform((value, context): RouteMatch => {
  const shape = isRecord(value) ? matchShapes.find(([key]) => Object.hasOwn(value, key))?.[1] : undefined;
  if (shape === undefined) {
    context.addIssue({ code: 'custom', message: `must be one of ${MATCH_SHAPES_DESCRIPTION}` });
    return z.NEVER;
  }
  const result = shape.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

const indexRouteSchema = z.strictObject(
  {
    index: indexBaseName,
    schema: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
    match: routeMatchSchema,
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object { "index", "schema"?, "match" }' : undefined) },
);

/**
 * Zod schema of a sync's routes (runtime form): a non-empty array of routes, tried in order. Beyond the
 * shape it rejects routes after a catch-all (they could never match) and one index used with two schemas.
 */
export const indexRoutesSchema: z.ZodType<IndexRoute[]> = z
  .array(indexRouteSchema, { error: 'must be a JSON array of routes' })
  .min(1, { error: 'must list at least one route' })
  .superRefine((routes, context) => {
    addUnreachableRouteIssues(routes, context);
    addSchemaConflictIssues(routes, context);
  });

/**
 * Validates an already parsed route list (e.g. from a CDK prop).
 *
 * @example
 * validateIndexRoutes([{ index: 'catalog', match: { always: true } }]);
 * @throws InvalidIndexRoutesError listing every problem, each naming its entry.
 */
export function validateIndexRoutes(routes: unknown): IndexRoute[] {
  const result = indexRoutesSchema.safeParse(routes);
  if (result.success) return result.data;
  throw new InvalidIndexRoutesError(result.error.issues.map((issue) => describeIssue(issue, routes)));
}

/**
 * The first route whose match accepts the item, or `undefined` when none does. `equals` and `prefix` compare
 * string attributes only.
 *
 * @example
 * routeFor({ pk: 'PRODUCT#1', sk: 'PRODUCT', entityType: 'product' }, routes)?.index; // 'products'
 */
export function routeFor(item: JsonObject, routes: readonly IndexRoute[]): IndexRoute | undefined {
  return routes.find((route) => matches(route, item));
}

/**
 * The route of a stream change: REMOVE routes on its `OldImage`, INSERT/MODIFY on its `NewImage`; either falls
 * back to the `Keys` when the image is absent (e.g. a `KEYS_ONLY` stream), so key-prefix routes still work.
 *
 * @example
 * routeForChange({ eventName: 'REMOVE', keys, newImage: undefined, oldImage }, routes);
 */
export function routeForChange(change: RoutableChange, routes: readonly IndexRoute[]): IndexRoute | undefined {
  const image = change.eventName === 'REMOVE' ? change.oldImage : change.newImage;
  return routeFor(image ?? change.keys, routes);
}

function matches({ match }: IndexRoute, item: JsonObject): boolean {
  if ('always' in match) return true;
  const value = Object.hasOwn(item, match.attribute) ? item[match.attribute] : undefined;
  if (typeof value !== 'string') return false;
  return 'equals' in match ? value === match.equals : value.startsWith(match.prefix);
}

type RefinementContext = z.core.$RefinementCtx<IndexRoute[]>;

function addUnreachableRouteIssues(routes: readonly IndexRoute[], context: RefinementContext): void {
  const catchAll = routes.findIndex((route) => 'always' in route.match);
  for (let position = catchAll + 1; catchAll >= 0 && position < routes.length; position += 1) {
    context.addIssue({
      code: 'custom',
      path: [position],
      message: `can never match: routes[${catchAll}] matches every item first`,
    });
  }
}

function addSchemaConflictIssues(routes: readonly IndexRoute[], context: RefinementContext): void {
  const firstByIndex = new Map<string, number>();
  routes.forEach((route, position) => {
    const first = firstByIndex.get(route.index);
    if (first === undefined) {
      firstByIndex.set(route.index, position);
    } else if (routes[first]?.schema !== route.schema) {
      context.addIssue({
        code: 'custom',
        path: [position, 'schema'],
        message: `index "${route.index}" already uses schema ${String(routes[first]?.schema)} in routes[${first}]; one index has one mapping`,
      });
    }
  });
}

function describeIssue(issue: z.core.$ZodIssue, routes: unknown): string {
  const [position, ...rest] = issue.path;
  if (typeof position !== 'number') return `routes: ${issue.message}`;
  const entry = Array.isArray(routes) ? (routes[position] as unknown) : undefined;
  const index = isRecord(entry) && typeof entry['index'] === 'string' ? ` (index "${entry['index']}")` : '';
  const field = rest.map((segment) => `.${String(segment)}`).join('');
  return `routes[${position}]${field}${index}: ${issue.message}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
