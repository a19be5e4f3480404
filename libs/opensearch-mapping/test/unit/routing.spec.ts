import { InvalidIndexRoutesError, OpenSearchMappingError } from '../../src/errors';
import { indexRoutesSchema, routeFor, routeForChange, validateIndexRoutes } from '../../src/routing';
import type { IndexRoute } from '../../src/types';
import { aRoutableChange, demoRoutes, productItem, productKeys, reviewItem } from '../helpers/mapping-factories';

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidIndexRoutesError) return error.problems;
    throw error;
  }
  throw new Error('expected InvalidIndexRoutesError');
}

describe('routeFor', () => {
  it('returns the first route whose match accepts the item', () => {
    // given routes where the product also matches the later prefix route
    const routes = demoRoutes();

    // when
    const route = routeFor(productItem(), routes);

    // then
    expect(route).toBe(routes[0]);
  });

  it('matches equals on the exact string value', () => {
    expect(routeFor(reviewItem(), demoRoutes())?.index).toBe('reviews');
    expect(routeFor({ pk: 'USER#1', entityType: 'Review' }, demoRoutes())).toBeUndefined();
  });

  it('matches a prefix, e.g. on a key attribute', () => {
    expect(routeFor({ pk: 'PRODUCT#9', sk: 'STOCK' }, demoRoutes())?.index).toBe('product-misc');
  });

  it('returns undefined when no route matches', () => {
    expect(routeFor({ pk: 'USER#1', sk: 'PROFILE' }, demoRoutes())).toBeUndefined();
  });

  it('compares string attributes only', () => {
    // given an item whose attribute is the number 1 and a route expecting the string "1"
    const routes: IndexRoute[] = [{ index: 'ones', match: { attribute: 'kind', equals: '1' } }];

    // then
    expect(routeFor({ kind: 1 }, routes)).toBeUndefined();
    expect(routeFor({ kind: '1' }, routes)?.index).toBe('ones');
  });

  it('does not match attributes inherited from the prototype', () => {
    const routes: IndexRoute[] = [{ index: 'objects', match: { attribute: 'constructor', prefix: '' } }];
    expect(routeFor({}, routes)).toBeUndefined();
  });

  it('lets a catch-all route match everything', () => {
    const routes: IndexRoute[] = [...demoRoutes(), { index: 'everything', match: { always: true } }];
    expect(routeFor({ pk: 'USER#1' }, routes)?.index).toBe('everything');
  });
});

describe('routeForChange', () => {
  it('routes INSERT and MODIFY on the new image', () => {
    // given a MODIFY whose entity type changed from product to review
    const change = aRoutableChange({ newImage: reviewItem(), oldImage: productItem() });

    // then
    expect(routeForChange(change, demoRoutes())?.index).toBe('reviews');
    expect(routeForChange({ ...change, eventName: 'INSERT' }, demoRoutes())?.index).toBe('reviews');
  });

  it('routes REMOVE on the old image', () => {
    // given a REMOVE (no new image)
    const change = aRoutableChange({ eventName: 'REMOVE', newImage: undefined, oldImage: reviewItem() });

    // then
    expect(routeForChange(change, demoRoutes())?.index).toBe('reviews');
  });

  it('falls back to the keys when the image is absent (KEYS_ONLY stream)', () => {
    // given a REMOVE with keys only
    const change = aRoutableChange({ eventName: 'REMOVE', keys: productKeys(), newImage: undefined, oldImage: undefined });

    // then the prefix rule on pk still routes it
    expect(routeForChange(change, demoRoutes())?.index).toBe('product-misc');
    expect(routeForChange({ ...change, eventName: 'INSERT' }, demoRoutes())?.index).toBe('product-misc');
  });
});

describe('validateIndexRoutes', () => {
  it('accepts a valid INDEX_ROUTES value', () => {
    // when
    const routes = validateIndexRoutes(demoRoutes());

    // then
    expect(routes).toEqual(demoRoutes());
  });

  it.each([
    ['an object instead of an array', { index: 'products' }, 'routes: must be a JSON array of routes'],
    ['an empty array', [], 'routes: must list at least one route'],
  ])('rejects %s', (_case, value, problem) => {
    expect(problemsOf(() => validateIndexRoutes(value))).toEqual([problem]);
  });

  it('names the bad entry, its index and the bad field', () => {
    // given a second route with an invalid index name and a third with a misspelt match
    const routes = [
      demoRoutes()[0],
      { index: 'Reviews', match: { attribute: 'entityType', equals: 'review' } },
      { index: 'misc', match: { attribute: 'pk', startsWith: 'PRODUCT#' } },
    ];

    // when
    const problems = problemsOf(() => validateIndexRoutes(routes));

    // then
    expect(problems).toEqual([
      'routes[1].index (index "Reviews"): must be lowercase',
      'routes[2].match (index "misc"): must be one of { "attribute", "equals" }, { "attribute", "prefix" } or { "always": true }',
    ]);
  });

  it.each([
    ['a missing index', { match: { always: true } }, 'routes[0].index: must be a string'],
    [
      'an index with a reserved suffix',
      { index: 'products-write', match: { always: true } },
      'routes[0].index (index "products-write"): must not end with "-write" (reserved for write aliases)',
    ],
    [
      'an empty attribute',
      { index: 'p', match: { attribute: '', equals: 'x' } },
      'routes[0].match.attribute (index "p"): must not be empty',
    ],
    ['a numeric equals', { index: 'p', match: { attribute: 'n', equals: 1 } }, 'routes[0].match.equals (index "p"): must be a string'],
    ['always: false', { index: 'p', match: { always: false } }, 'routes[0].match.always (index "p"): must be true'],
    [
      'a match with no known shape',
      { index: 'p', match: { attribute: 'pk', startsWith: 'A' } },
      'routes[0].match (index "p"): must be one of { "attribute", "equals" }, { "attribute", "prefix" } or { "always": true }',
    ],
    [
      'a match mixing shapes',
      { index: 'p', match: { attribute: 'pk', equals: 'A', prefix: 'B' } },
      'routes[0].match (index "p"): Unrecognized key: "prefix"',
    ],
    [
      'a missing match',
      { index: 'p' },
      'routes[0].match (index "p"): must be one of { "attribute", "equals" }, { "attribute", "prefix" } or { "always": true }',
    ],
    ['an empty schema name', { index: 'p', schema: '', match: { always: true } }, 'routes[0].schema (index "p"): must not be empty'],
    ['an unknown property', { index: 'p', match: { always: true }, shards: 2 }, 'routes[0] (index "p"): Unrecognized key: "shards"'],
    ['a non-object entry', 'products', 'routes[0]: must be an object { "index", "schema"?, "match" }'],
  ])('rejects a route with %s', (_case, route, problem) => {
    expect(problemsOf(() => validateIndexRoutes([route]))).toEqual([problem]);
  });

  it('rejects routes after a catch-all, which could never match', () => {
    // given
    const routes = [{ index: 'everything', match: { always: true } }, ...demoRoutes()];

    // when
    const problems = problemsOf(() => validateIndexRoutes(routes));

    // then
    expect(problems).toEqual([
      'routes[1] (index "products"): can never match: routes[0] matches every item first',
      'routes[2] (index "reviews"): can never match: routes[0] matches every item first',
      'routes[3] (index "product-misc"): can never match: routes[0] matches every item first',
    ]);
  });

  it('rejects one index used with two schemas', () => {
    // given
    const routes = [...demoRoutes(), { index: 'products', schema: 'review', match: { attribute: 'sk', prefix: 'REVIEW#' } }];

    // when
    const problems = problemsOf(() => validateIndexRoutes(routes));

    // then
    expect(problems).toEqual([
      'routes[3].schema (index "products"): index "products" already uses schema product in routes[0]; one index has one mapping',
    ]);
  });

  it('accepts one index with the same schema on several routes', () => {
    const routes = [...demoRoutes(), { index: 'products', schema: 'product', match: { attribute: 'sk', equals: 'PRODUCT' } }];
    expect(validateIndexRoutes(routes)).toHaveLength(4);
  });

  it('reports problems as an OpenSearchMappingError with every problem in the message', () => {
    expect(() => validateIndexRoutes([])).toThrow(OpenSearchMappingError);
    expect(() => validateIndexRoutes([])).toThrow('Invalid index routes: routes: must list at least one route');
  });
});

describe('indexRoutesSchema', () => {
  it('is a zod schema usable directly', () => {
    expect(indexRoutesSchema.safeParse(demoRoutes()).success).toBe(true);
    expect(indexRoutesSchema.safeParse([{ index: '_bad', match: { always: true } }]).success).toBe(false);
  });
});
