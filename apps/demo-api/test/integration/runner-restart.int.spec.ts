import { aProductInput, aReviewInput } from '../helpers/factories';
import { http, pollUntil, search, startLocalDemo, type LocalDemo, type SearchBody } from '../helpers/local-demo';

jest.setTimeout(180_000);

/** What the index should hold for a table item: the item itself (search results carry no sync metadata). */
function identity(item: Record<string, unknown>): string {
  return `${String(item['pk'])}|${String(item['sk'])}`;
}

async function allDocuments(demo: LocalDemo): Promise<Record<string, unknown>[]> {
  const documents: Record<string, unknown>[] = [];
  for (const type of ['product', 'review']) {
    for (let from = 0; ; from += 100) {
      const page: SearchBody = await search(demo.server, `type=${type}&size=100&from=${from}&sort=updatedAt:desc`);
      documents.push(...page.items);
      if (from + 100 >= page.total) break;
    }
  }
  return documents;
}

async function indexMatchesTable(demo: LocalDemo): Promise<boolean> {
  const [table, documents] = await Promise.all([demo.scanTable(), allDocuments(demo)]);
  if (table.length !== documents.length) return false;
  const indexed = new Map(documents.map((document) => [identity(document), document]));
  return table.every((item) => JSON.stringify(sorted(indexed.get(identity(item)))) === JSON.stringify(sorted(item)));
}

function sorted(value: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return value && Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

describe('restarting the stream runner mid-stream', () => {
  let demo: LocalDemo;

  beforeAll(async () => {
    demo = await startLocalDemo();
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('loses and duplicates nothing: a new runner on the same checkpoint file brings the index back to the table', async () => {
    // given: ten products, fully indexed by the first runner
    const put = (id: string, overrides: Record<string, unknown> = {}) =>
      http(demo.server, 'PUT', `/items/products/${id}`, aProductInput({ name: `Product ${id}`, ...overrides }));
    for (let n = 0; n < 10; n += 1) await put(`first-${n}`);
    await pollUntil('first ten indexed', () => indexMatchesTable(demo), 15_000);

    // when: a burst of changes, the runner stopped while it is still consuming them
    const burst = [
      ...Array.from({ length: 10 }, (_, n) => put(`burst-${n}`)),
      ...Array.from({ length: 5 }, (_, n) => http(demo.server, 'PATCH', `/items/products/first-${n}`, { price: 100 + n })),
      ...Array.from({ length: 5 }, (_, n) => http(demo.server, 'PUT', `/items/products/first-${n}/reviews/r-${n}`, aReviewInput())),
    ];
    expect((await Promise.all(burst)).every((response) => response.status < 300)).toBe(true);
    const first = demo.runner;
    await demo.stopRunner();
    const processedByFirst = first?.status().totals.recordsProcessed ?? 0;

    // and: more changes while no runner runs (creates, updates, deletes of products and reviews)
    const whileStopped = [
      ...Array.from({ length: 8 }, (_, n) => put(`stopped-${n}`, { price: n })),
      ...Array.from({ length: 4 }, (_, n) => http(demo.server, 'PATCH', `/items/products/burst-${n}`, { inStock: false })),
      ...Array.from({ length: 3 }, (_, n) => http(demo.server, 'DELETE', `/items/products/first-${5 + n}`)),
      ...Array.from({ length: 2 }, (_, n) => http(demo.server, 'DELETE', `/items/products/first-${n}/reviews/r-${n}`)),
    ];
    expect((await Promise.all(whileStopped)).every((response) => response.status < 300)).toBe(true);
    const changesWhileStopped = whileStopped.length;
    const totalChanges = 10 + burst.length + changesWhileStopped;

    // and: a new runner with the same checkpoint file
    const second = await demo.startRunner();
    await pollUntil('index equal to the table after the restart', () => indexMatchesTable(demo), 20_000);

    // then: every table item is indexed exactly once with its latest state, and nothing else is
    const [table, documents] = await Promise.all([demo.scanTable(), allDocuments(demo)]);
    const ids = documents.map(identity);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(table.map(identity).sort());
    expect(documents.find((document) => document['productId'] === 'first-0' && document['sk'] === 'PRODUCT')).toMatchObject({ price: 100 });
    expect(ids).not.toContain('PRODUCT#first-5|PRODUCT');
    expect(ids).not.toContain('PRODUCT#first-0|REVIEW#r-0');

    // and: the second runner resumed from the checkpoint instead of re-reading the stream from its start
    const processedBySecond = second.status().totals.recordsProcessed;
    expect(processedBySecond).toBeGreaterThanOrEqual(changesWhileStopped);
    expect(processedBySecond).toBeLessThan(totalChanges);
    expect(processedByFirst + processedBySecond).toBeGreaterThanOrEqual(totalChanges);
    expect((await search(demo.server, 'q=Product&type=product&size=100')).total).toBe(
      table.filter((item) => item['entityType'] === 'product').length,
    );
  });
});
