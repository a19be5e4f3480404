import { randomBytes } from 'node:crypto';
import { aProductInput, aReviewInput } from '../helpers/factories';
import { http, pollUntil, search, startLocalDemo, type LocalDemo } from '../helpers/local-demo';

/** The promise of the demo: a change is searchable (or gone) within 3 s. */
const VISIBLE_WITHIN_MS = 3_000;

jest.setTimeout(120_000);

describe('demo API over the local stack with the stream runner and indexer in-process', () => {
  let demo: LocalDemo;

  beforeAll(async () => {
    demo = await startLocalDemo();
  });

  afterAll(async () => {
    await demo?.close();
  });

  /** A word no other document contains, so a search for it finds exactly what this test wrote. */
  const uniqueWord = () => `zq${randomBytes(4).toString('hex')}`;

  async function expectVisibleWithinDeadline(description: string, probe: () => Promise<boolean>): Promise<void> {
    const elapsed = await pollUntil(description, probe, VISIBLE_WITHIN_MS);
    expect(elapsed).toBeLessThan(VISIBLE_WITHIN_MS);
  }

  it('makes a product searchable after PUT, shows a PATCH, and removes it after DELETE, each within 3 s', async () => {
    // given
    const word = uniqueWord();
    const productId = `p-${word}`;

    // when: created
    const put = await http(demo.server, 'PUT', `/items/products/${productId}`, aProductInput({ name: `Lamp ${word}`, price: 20 }));

    // then
    expect(put.status).toBe(201);
    await expectVisibleWithinDeadline('created product searchable', async () => {
      const { items } = await search(demo.server, `q=${word}&type=product`);
      return items.length === 1 && items[0]?.['productId'] === productId && items[0]?.['price'] === 20;
    });

    // when: patched
    const patch = await http(demo.server, 'PATCH', `/items/products/${productId}`, { price: 35.5, inStock: false });

    // then
    expect(patch.status).toBe(200);
    await expectVisibleWithinDeadline('patched price searchable', async () => {
      const { items } = await search(demo.server, `q=${word}&type=product&inStock=false&minPrice=30`);
      return items.length === 1 && items[0]?.['price'] === 35.5;
    });

    // when: deleted
    const deleted = await http(demo.server, 'DELETE', `/items/products/${productId}`);

    // then
    expect(deleted.status).toBe(204);
    await expectVisibleWithinDeadline('deleted product gone', async () => (await search(demo.server, `q=${word}`)).total === 0);
    expect((await http(demo.server, 'GET', `/items/products/${productId}`)).status).toBe(404);
  });

  it('indexes reviews into their own index and hides a deleted review, each within 3 s', async () => {
    // given
    const word = uniqueWord();
    const productId = `p-${word}`;
    await http(demo.server, 'PUT', `/items/products/${productId}`, aProductInput({ name: `Mug ${word}` }));

    // when
    const put = await http(demo.server, 'PUT', `/items/products/${productId}/reviews/r-1`, aReviewInput({ title: `Great ${word}` }));

    // then
    expect(put.status).toBe(201);
    await expectVisibleWithinDeadline('review searchable', async () => {
      const { items } = await search(demo.server, `q=${word}&type=review`);
      return items.length === 1 && items[0]?.['reviewId'] === 'r-1' && items[0]?.['entityType'] === 'review';
    });

    // when
    await http(demo.server, 'PATCH', `/items/products/${productId}/reviews/r-1`, { rating: 1 });

    // then
    await expectVisibleWithinDeadline(
      'patched review searchable',
      async () => (await search(demo.server, `q=${word}&type=review`)).items[0]?.['rating'] === 1,
    );

    // when
    const deleted = await http(demo.server, 'DELETE', `/items/products/${productId}/reviews/r-1`);

    // then
    expect(deleted.status).toBe(204);
    await expectVisibleWithinDeadline('deleted review gone', async () => (await search(demo.server, `q=${word}&type=review`)).total === 0);
    const products = await search(demo.server, `q=${word}&type=product`);
    expect(products.items.map((item) => item['productId'])).toEqual([productId]);
  });

  it('filters by category, stock, tag and price and sorts by price', async () => {
    // given
    const word = uniqueWord();
    const category = `cat-${word}`;
    await Promise.all([
      http(
        demo.server,
        'PUT',
        `/items/products/a-${word}`,
        aProductInput({ name: `A ${word}`, category, price: 30, inStock: true, tags: ['oak'] }),
      ),
      http(
        demo.server,
        'PUT',
        `/items/products/b-${word}`,
        aProductInput({ name: `B ${word}`, category, price: 10, inStock: true, tags: ['pine'] }),
      ),
      http(
        demo.server,
        'PUT',
        `/items/products/c-${word}`,
        aProductInput({ name: `C ${word}`, category, price: 20, inStock: false, tags: ['oak'] }),
      ),
      http(
        demo.server,
        'PUT',
        `/items/products/d-${word}`,
        aProductInput({ name: `D ${word}`, category: 'other', price: 5, inStock: true, tags: ['oak'] }),
      ),
    ]);
    await pollUntil('four products indexed', async () => (await search(demo.server, `q=${word}`)).total === 4, 10_000);

    // when
    const inCategory = await search(demo.server, `category=${category}&sort=price:asc`);
    const inStock = await search(demo.server, `category=${category}&inStock=true&sort=price:asc`);
    const oakUnder25 = await search(demo.server, `q=${word}&tag=oak&maxPrice=25`);
    const paged = await search(demo.server, `category=${category}&sort=price:asc&from=1&size=1`);

    // then
    expect(inCategory.items.map((item) => item['price'])).toEqual([10, 20, 30]);
    expect(inStock.items.map((item) => item['productId'])).toEqual([`b-${word}`, `a-${word}`]);
    expect(oakUnder25.items.map((item) => item['productId']).sort()).toEqual([`c-${word}`, `d-${word}`]);
    expect(paged).toMatchObject({ total: 3, items: [{ price: 20 }] });
    expect(inCategory.items.every((item) => !('ddbSync' in item) && !('ddbKeys' in item))).toBe(true);
  });

  it('reports runner lag and throughput, documents per read alias, queue depths and the last indexed change', async () => {
    // given
    const word = uniqueWord();
    await http(demo.server, 'PUT', `/items/products/s-${word}`, aProductInput({ name: `Status ${word}` }));
    await pollUntil('product indexed', async () => (await search(demo.server, `q=${word}`)).total === 1, 10_000);

    // when
    const response = await http(demo.server, 'GET', '/sync/status');

    // then
    expect(response.status).toBe(200);
    const { products, reviews } = demo.config.indexes;
    expect(response.body).toMatchObject({
      runner: {
        ok: true,
        value: {
          state: 'running',
          totals: { recordsProcessed: expect.any(Number), throughputPerSecond: expect.any(Number) },
          shards: expect.any(Array),
        },
      },
      documents: { ok: true, value: { [products]: expect.any(Number), [reviews]: expect.any(Number) } },
      queues: { ok: true, value: { deadLetter: 0, onFailure: 0 } },
      lastIndexedChange: {
        ok: true,
        value: { index: expect.stringMatching(new RegExp(`^(${products}|${reviews})$`)), indexedAt: expect.any(String) },
      },
    });
    const table = await demo.scanTable();
    const body = response.body as { documents: { value: Record<string, number> } };
    expect(body.documents.value[products]).toBe(table.filter((item) => item['entityType'] === 'product').length);
  });

  it('answers 400 with the issues for an invalid write and never reaches the table', async () => {
    // when
    const response = await http(demo.server, 'PUT', '/items/products/p-invalid', aProductInput({ price: 'cheap' }));

    // then
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ issues: [{ path: 'price' }] });
    expect((await http(demo.server, 'GET', '/items/products/p-invalid')).status).toBe(404);
  });
});
