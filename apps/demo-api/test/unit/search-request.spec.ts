import { buildSearchRequest, exactMatchField, productExactMatchFields } from '../../src/backends/opensearch-search';
import { demoRoutingOf, demoSyncsOf } from '../../src/demo-sync';
import type { SearchQuery } from '../../src/types';

const aliases = { products: 'products', reviews: 'reviews' };
/** The mappings the demo's indexes are created with: the sync definition's. */
const productMappings = demoRoutingOf(demoSyncsOf(aliases).sync).shapes.mappingsOf(aliases.products);
const exact = productExactMatchFields(productMappings);

function aQuery(overrides: Partial<SearchQuery> = {}): SearchQuery {
  return {
    q: undefined,
    type: undefined,
    category: undefined,
    minPrice: undefined,
    maxPrice: undefined,
    inStock: undefined,
    tag: undefined,
    sort: undefined,
    from: 0,
    size: 20,
    ...overrides,
  };
}

describe('buildSearchRequest', () => {
  it('searches both read aliases, newest first, without sync metadata when there is no text', () => {
    // when
    const request = buildSearchRequest(aQuery(), aliases, exact);

    // then
    expect(request.index).toBe('products,reviews');
    expect(request.body).toMatchObject({
      query: { bool: { must: [{ match_all: {} }], filter: [] } },
      sort: [
        { updatedAt: { order: 'desc', unmapped_type: 'date', missing: '_last' } },
        { createdAt: { order: 'desc', unmapped_type: 'date', missing: '_last' } },
      ],
      from: 0,
      size: 20,
      _source: { excludes: ['ddbSync', 'ddbKeys'] },
    });
  });

  it('runs a multi_match on the text and sorts by relevance by default', () => {
    // when
    const request = buildSearchRequest(aQuery({ q: 'oak lamp', type: 'product' }), aliases, exact);

    // then
    expect(request.index).toBe('products');
    expect(request.body['query']).toEqual({
      bool: {
        must: [{ multi_match: expect.objectContaining({ query: 'oak lamp', fields: expect.arrayContaining(['name^3', 'description']) }) }],
        filter: [],
      },
    });
    expect((request.body['sort'] as unknown[])[0]).toBe('_score');
  });

  it('filters exactly on category and tag, on stock and on a price range, and sorts by price', () => {
    // when
    const request = buildSearchRequest(
      aQuery({
        type: 'product',
        category: 'Lighting',
        tag: 'oak',
        inStock: true,
        minPrice: 5,
        maxPrice: 50,
        sort: 'price:asc',
        from: 40,
        size: 20,
      }),
      aliases,
      { category: 'category.raw', tags: 'tags.raw' },
    );

    // then
    expect(request.body).toMatchObject({
      query: {
        bool: {
          filter: [
            { term: { 'category.raw': 'Lighting' } },
            { term: { 'tags.raw': 'oak' } },
            { term: { inStock: true } },
            { range: { price: { gte: 5, lte: 50 } } },
          ],
        },
      },
      sort: [{ price: { order: 'asc', unmapped_type: 'double', missing: '_last' } }, expect.anything(), expect.anything()],
      from: 40,
    });
  });

  it('searches only reviews for type=review', () => {
    expect(buildSearchRequest(aQuery({ type: 'review' }), aliases, exact).index).toBe('reviews');
  });
});

describe('exact-match fields', () => {
  it('uses the keyword subfield of text fields and the field itself otherwise', () => {
    // given
    const mappings = productMappings;

    // when / then
    expect(exactMatchField(mappings, 'productId')).toBe('productId');
    expect(exactMatchField(mappings, 'inStock')).toBe('inStock');
    expect(
      exactMatchField(
        { dynamic: 'strict', properties: { category: { type: 'text', fields: { raw: { type: 'keyword', ignore_above: 256 } } } } },
        'category',
      ),
    ).toBe('category.raw');
    expect(exactMatchField({ dynamic: 'strict', properties: { category: { type: 'keyword' } } }, 'category')).toBe('category');
  });

  it("derives the product fields from the mapping the indexes are created with (the sync definition's)", () => {
    // when
    const fields = productExactMatchFields(productMappings);

    // then
    expect(fields).toEqual({ category: exactMatchField(productMappings, 'category'), tags: exactMatchField(productMappings, 'tags') });
    // The schema maps category as a keyword and tags as text with a `.raw` keyword subfield.
    expect(fields).toEqual({ category: 'category', tags: 'tags.raw' });
  });
});
