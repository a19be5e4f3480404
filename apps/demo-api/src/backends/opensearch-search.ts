import type { IndexMappings } from '@ddb-os/opensearch-mapping';
import type { Client } from '@opensearch-project/opensearch';
import type { SearchQuery, SearchResult, SearchService } from '../types';
import { callBackend } from './unavailable';

/** Read aliases (filtered: no tombstones) of the two demo indexes. */
export interface DemoReadAliases {
  readonly products: string;
  readonly reviews: string;
}

/** Fields of products and reviews searched by `q`, with their boosts. */
const FULL_TEXT_FIELDS = ['name^3', 'title^2', 'tags^2', 'category', 'description', 'body', 'author'];
/** Document fields that belong to the sync machinery, not to the item. */
const METADATA_FIELDS = ['ddbSync', 'ddbKeys'];

/** Field names to filter on exactly: a `text` field's `.raw` keyword subfield, or the field itself. */
export interface ExactMatchFields {
  readonly category: string;
  readonly tags: string;
}

/**
 * The exact-match name of `field` under `mappings`: `<field>.raw` for a text field with a keyword subfield,
 * the field itself otherwise (keyword, boolean, number).
 *
 * @example
 * exactMatchField(routing.shapes.mappingsOf('products'), 'category'); // 'category.raw' (text + raw subfield)
 */
export function exactMatchField(mappings: IndexMappings, field: string): string {
  const mapping = mappings.properties[field];
  return mapping !== undefined && 'type' in mapping && mapping.type === 'text' ? `${field}.raw` : field;
}

/**
 * Exact-match fields of the product index, derived from the mappings the index is created with (the sync
 * definition's, `routing.shapes.mappingsOf(productsIndex)`).
 *
 * @example
 * productExactMatchFields(demoRoutingOf(config.sync).shapes.mappingsOf(config.indexes.products));
 */
export function productExactMatchFields(mappings: IndexMappings): ExactMatchFields {
  return { category: exactMatchField(mappings, 'category'), tags: exactMatchField(mappings, 'tags') };
}

export interface SearchRequest {
  readonly index: string;
  readonly body: Record<string, unknown>;
}

/**
 * The OpenSearch `_search` request for a validated query: `multi_match` on `q` (all documents when absent),
 * exact filters on the `.raw` keyword subfields, a price range, sort and pagination, without sync metadata.
 *
 * @example
 * buildSearchRequest({ ...query, q: 'lamp', type: 'product' }, { products: 'products', reviews: 'reviews' }, exact).index; // 'products'
 */
export function buildSearchRequest(query: SearchQuery, aliases: DemoReadAliases, exact: ExactMatchFields): SearchRequest {
  const index =
    query.type === 'product' ? aliases.products : query.type === 'review' ? aliases.reviews : `${aliases.products},${aliases.reviews}`;
  const must = query.q
    ? [{ multi_match: { query: query.q, fields: FULL_TEXT_FIELDS, lenient: true, fuzziness: 'AUTO' } }]
    : [{ match_all: {} }];
  return {
    index,
    body: {
      query: { bool: { must, filter: filtersOf(query, exact) } },
      sort: sortOf(query),
      from: query.from,
      size: query.size,
      track_total_hits: true,
      _source: { excludes: METADATA_FIELDS },
    },
  };
}

function filtersOf(query: SearchQuery, exact: ExactMatchFields): Record<string, unknown>[] {
  const filters: Record<string, unknown>[] = [];
  if (query.category !== undefined) filters.push({ term: { [exact.category]: query.category } });
  if (query.tag !== undefined) filters.push({ term: { [exact.tags]: query.tag } });
  if (query.inStock !== undefined) filters.push({ term: { inStock: query.inStock } });
  if (query.minPrice !== undefined || query.maxPrice !== undefined) {
    filters.push({
      range: {
        price: {
          ...(query.minPrice !== undefined && { gte: query.minPrice }),
          ...(query.maxPrice !== undefined && { lte: query.maxPrice }),
        },
      },
    });
  }
  return filters;
}

/** Reviews have no `price`/`updatedAt`: `unmapped_type` keeps a two-index search valid, `missing` puts them last. */
function sortOf(query: SearchQuery): unknown[] {
  const newestFirst = [
    { updatedAt: { order: 'desc', unmapped_type: 'date', missing: '_last' } },
    { createdAt: { order: 'desc', unmapped_type: 'date', missing: '_last' } },
  ];
  const sort = query.sort ?? (query.q ? '_score' : 'updatedAt:desc');
  if (sort === 'price:asc') return [{ price: { order: 'asc', unmapped_type: 'double', missing: '_last' } }, ...newestFirst];
  if (sort === 'updatedAt:desc') return newestFirst;
  return ['_score', ...newestFirst];
}

interface SearchResponseBody {
  readonly took: number;
  readonly hits: {
    readonly total: number | { readonly value: number };
    readonly hits: readonly { readonly _source?: Record<string, unknown> }[];
  };
}

/**
 * {@link SearchService} over the demo read aliases.
 *
 * @example
 * const search = new OpenSearchSearch({ client, aliases: { products: 'products', reviews: 'reviews' }, exactMatchFields });
 * const { total, items } = await search.search(query);
 */
export class OpenSearchSearch implements SearchService {
  private readonly exact: ExactMatchFields;

  constructor(
    private readonly options: { readonly client: Client; readonly aliases: DemoReadAliases; readonly exactMatchFields: ExactMatchFields },
  ) {
    this.exact = options.exactMatchFields;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const request = buildSearchRequest(query, this.options.aliases, this.exact);
    const response = await callBackend('opensearch', () => this.options.client.search({ index: request.index, body: request.body }));
    const body = response.body as unknown as SearchResponseBody;
    const total = typeof body.hits.total === 'number' ? body.hits.total : body.hits.total.value;
    return { total, took: body.took, items: body.hits.hits.map((hit) => withoutMetadata(hit._source ?? {})) };
  }
}

/** `_source.excludes` already drops them; this guards against a cluster that ignores it. */
function withoutMetadata(source: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).filter(([field]) => !METADATA_FIELDS.includes(field)));
}
