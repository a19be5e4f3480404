import { InvalidIndexRoutesError } from '@ddb-os/opensearch-mapping';
import { InvalidSyncConfigError, loadSyncTargetConfig } from '@ddb-os/sync-config';
import { Token } from 'aws-cdk-lib';
import { DynamoDbToOpenSearch, InvalidPropError, type IndexRoute } from '../../src';
import { givenStack, syncProps } from '../helpers/factories';

/** What the indexer says at cold start about these routes: its configuration loader reading `INDEX_ROUTES`. */
function runtimeRefusal(routes: readonly IndexRoute[]): string {
  try {
    loadSyncTargetConfig(
      { OPENSEARCH_NODE: 'http://127.0.0.1:9200', KEY_ATTRIBUTES: 'pk,sk', INDEX_ROUTES: JSON.stringify(routes) },
      'indexer',
    );
  } catch (error) {
    if (!(error instanceof InvalidSyncConfigError)) throw error;
    const issue = error.issues.find((line) => line.startsWith('INDEX_ROUTES: '));
    if (issue) return issue.slice('INDEX_ROUTES: '.length);
  }
  throw new Error('the runtime validator accepted the routes');
}

function constructRefusal(routes: readonly IndexRoute[]): InvalidPropError {
  try {
    new DynamoDbToOpenSearch(givenStack(), 'Sync', syncProps({ indexRoutes: routes }));
  } catch (error) {
    if (error instanceof InvalidPropError) return error;
    throw error;
  }
  throw new Error('the construct accepted the routes');
}

describe('indexRoutes: refused exactly when the indexer would refuse them', () => {
  it.each<[string, IndexRoute[]]>([
    [
      'a route after a catch-all',
      [
        { index: 'catalog', match: { always: true } },
        { index: 'products', match: { attribute: 'entityType', equals: 'product' } },
      ],
    ],
    ['an index named like a write alias', [{ index: 'products-write', match: { always: true } }]],
    ['an index named like a physical index', [{ index: 'products-v2', match: { always: true } }]],
    [
      'one index with two schemas',
      [
        { index: 'products', schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
        { index: 'products', schema: 'review', match: { attribute: 'entityType', equals: 'review' } },
      ],
    ],
    ['an unknown match key', [{ index: 'products', match: { attribute: 'entityType', startsWith: 'p' } } as unknown as IndexRoute]],
    ['an empty list', []],
  ])('%s, with the indexer validator message', (_case, routes) => {
    // given
    const expected = runtimeRefusal(routes);

    // when
    const refusal = constructRefusal(routes);

    // then
    expect(refusal.prop).toBe('indexRoutes');
    expect(refusal.message).toBe(`DynamoDbToOpenSearch: invalid prop "indexRoutes": ${expected}`);
    expect(refusal.cause).toBeInstanceOf(InvalidIndexRoutesError);
  });

  it('refuses deploy-time tokens, which the indexer could not read from its JSON', () => {
    // given
    const routes: IndexRoute[] = [{ index: Token.asString({ Ref: 'IndexName' }), match: { always: true } }];

    // when
    const refusal = constructRefusal(routes);

    // then
    expect(refusal.message).toMatch(/"indexRoutes": must hold literal values only/);
  });

  it('accepts what the indexer accepts', () => {
    // given
    const routes: IndexRoute[] = [
      { index: 'products', schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
      { index: 'products', schema: 'product', match: { attribute: 'sk', prefix: 'PRODUCT#' } },
      { index: 'catalog', match: { always: true } },
    ];
    expect(() =>
      loadSyncTargetConfig({ OPENSEARCH_NODE: 'http://127.0.0.1:9200', KEY_ATTRIBUTES: 'pk,sk', INDEX_ROUTES: JSON.stringify(routes) }),
    ).not.toThrow();

    // when / then
    expect(() => new DynamoDbToOpenSearch(givenStack(), 'Sync', syncProps({ indexRoutes: routes }))).not.toThrow();
  });
});
