import { productSchema, reviewSchema } from '@ddb-os/schemas';
import { loadDemoPage } from '../../src/routes/page';
import { indexerEnvironment } from '../../src/local/stream-sync';
import { loadConfig } from '../../src/config';
import { generateCatalogue, seedCatalogue, seededRandom } from '../../src/seed-data';
import { FIXED_NOW, InMemoryItemStore } from '../helpers/factories';

describe('generated catalogue', () => {
  it('produces valid products and reviews, the same for the same seed', () => {
    // when
    const first = generateCatalogue(25, seededRandom(7), FIXED_NOW);
    const second = generateCatalogue(25, seededRandom(7), FIXED_NOW);

    // then
    expect(first.products).toHaveLength(25);
    for (const product of first.products) expect(productSchema.safeParse(product).success).toBe(true);
    for (const review of first.reviews) expect(reviewSchema.safeParse(review).success).toBe(true);
    expect(second).toEqual(first);
  });

  it('seedCatalogue writes every product and review to the store', async () => {
    // given
    const store = new InMemoryItemStore();

    // when
    const written = await seedCatalogue(store, 10, { seed: 3, now: FIXED_NOW });

    // then
    const { products, reviews } = generateCatalogue(10, seededRandom(3), FIXED_NOW);
    expect(written).toBe(products.length + reviews.length);
    expect(store.items.size).toBe(written);
  });
});

describe('indexerEnvironment', () => {
  it('names the demo sync, whose routes go to the configured indexes, and points the indexer at the local stack', () => {
    // given
    const config = loadConfig({ DEMO_PRODUCTS_INDEX: 'p-test', DEMO_REVIEWS_INDEX: 'r-test' });

    // when
    const env = indexerEnvironment(config, 'http://127.0.0.1:9324/000000000000/dlq');

    // then
    expect(config.sync.name).toBe('demo');
    expect(config.sync.routes).toEqual([
      { index: 'p-test', schema: expect.any(String), match: { attribute: 'entityType', equals: 'product' } },
      { index: 'r-test', schema: expect.any(String), match: { attribute: 'entityType', equals: 'review' } },
    ]);
    expect(config.sync.definition.routes.map((route) => route.schema)).toEqual([productSchema, reviewSchema]);
    expect(config.sync.declaredKeyAttributes).toEqual(['pk', 'sk']);
    expect(env).toMatchObject({
      SYNC_NAME: 'demo',
      DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq',
      OPENSEARCH_NODE: 'http://127.0.0.1:9200',
      SQS_ENDPOINT: 'http://127.0.0.1:9324',
    });
    // Routes and keys come from the definition, never from the environment.
    expect(Object.keys(env)).not.toEqual(expect.arrayContaining(['INDEX_ROUTES']));
    expect(Object.keys(env)).not.toEqual(expect.arrayContaining(['KEY_ATTRIBUTES']));
  });
});

describe('demo page', () => {
  it('is a single self-contained HTML file with the search, write forms and sync panel', () => {
    // when
    const page = loadDemoPage();

    // then
    expect(page).toMatch(/^<!doctype html>/i);
    for (const testId of ['search-q', 'results', 'product-put', 'review-put', 'sync-panel', 'stat-dlq'])
      expect(page).toContain(`data-testid="${testId}"`);
    expect(page).toContain("call('GET', '/sync/status')");
    expect(page).not.toMatch(/<script[^>]+src=/);
  });
});
