import { productSchema, reviewSchema } from '@ddb-os/schemas';
import { defineSyncs, InvalidSyncDefinitionError, type ResolvedSync, type SyncDefinition } from '@ddb-os/sync-definition';
import { DynamoDbToOpenSearch } from '../../src';
import { givenStack, givenSync, productsDefinition, syncProps } from '../helpers/factories';

/** What the Lambdas say at cold start about this definition: their bundle runs `defineSyncs` on it when it loads. */
function coldStartRefusal(definition: SyncDefinition): string {
  try {
    defineSyncs({ syncs: [definition] });
  } catch (error) {
    if (error instanceof InvalidSyncDefinitionError) return error.message;
    throw error;
  }
  throw new Error('defineSyncs accepted the definition');
}

/** A sync validated once, then given a definition that was never validated (as hand-written code could). */
function tampered(definition: SyncDefinition): ResolvedSync {
  return { ...givenSync(), definition };
}

function synthRefusal(sync: ResolvedSync): Error {
  try {
    new DynamoDbToOpenSearch(givenStack(), 'Sync', syncProps({ sync }));
  } catch (error) {
    return error as Error;
  }
  throw new Error('the construct accepted the definition');
}

describe('routes and transforms: refused at synth with the message the Lambdas give at cold start', () => {
  it.each<[string, Partial<SyncDefinition>]>([
    [
      'a route after a catch-all',
      {
        routes: [
          { index: 'catalog', match: { always: true } },
          { index: 'products', match: { attribute: 'entityType', equals: 'product' } },
        ],
      },
    ],
    ['an index named like a write alias', { routes: [{ index: 'products-write', match: { always: true } }] }],
    ['an index named like a physical index', { routes: [{ index: 'products-v2', match: { always: true } }] }],
    [
      'one index with two schemas',
      {
        routes: [
          { index: 'products', schema: productSchema, match: { attribute: 'entityType', equals: 'product' } },
          { index: 'products', schema: reviewSchema, match: { attribute: 'entityType', equals: 'review' } },
        ],
      },
    ],
    ['an unknown match key', { routes: [{ index: 'products', match: { attribute: 'entityType', startsWith: 'p' } as never }] }],
    ['an empty route list', { routes: [] }],
    [
      'a transform that drops a key attribute',
      { routes: [{ index: 'products', schema: productSchema, match: { always: true }, transform: { exclude: ['pk'] } }] },
    ],
    [
      'a transform with both include and exclude',
      {
        routes: [
          { index: 'products', schema: productSchema, match: { always: true }, transform: { include: ['name'], exclude: ['price'] } },
        ],
      },
    ],
    ['a Serverless collection as the domain', { domain: { serverless: { collectionEndpoint: 'https://x.aoss.amazonaws.com' } } }],
  ])('%s', (_case, change) => {
    // given
    const definition = productsDefinition(change);
    const expected = coldStartRefusal(definition);

    // when
    const refusal = synthRefusal(tampered(definition));

    // then
    expect(refusal).toBeInstanceOf(InvalidSyncDefinitionError);
    expect(refusal.message).toBe(expected);
  });

  it('accepts what the cold start accepts', () => {
    // given
    const definition = productsDefinition({
      routes: [
        {
          index: 'products',
          schema: productSchema,
          match: { attribute: 'entityType', equals: 'product' },
          transform: { exclude: ['price'] },
        },
        { index: 'catalog', match: { always: true } },
      ],
    });
    expect(() => defineSyncs({ syncs: [definition] })).not.toThrow();

    // when / then
    expect(() => new DynamoDbToOpenSearch(givenStack(), 'Sync', syncProps({ sync: tampered(definition) }))).not.toThrow();
  });
});
