import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { physicalIndexName, readAlias, writeAlias } from '@ddb-os/opensearch-mapping';
import { loadConfig } from '../../src/config';
import { demoRoutingOf, demoSyncsOf } from '../../src/demo-sync';
import { closeClients, createClients } from '../../src/dependencies';
import { dropDemoIndexes, ensureBucket, ensureDemoIndexes, ensureDemoTable, ensureQueue } from '../../src/local/provision';
import { uniqueName } from '../helpers/local-demo';
import { deleteBucket } from '../helpers/s3';

jest.setTimeout(60_000);

describe('local provisioning', () => {
  const clients = createClients(loadConfig(process.env));

  afterAll(async () => {
    await closeClients(clients);
  });

  it('creates the table with a NEW_AND_OLD_IMAGES stream once, and reports whether it created it', async () => {
    // given
    const tableName = uniqueName('demo-prov');

    // when
    const first = await ensureDemoTable(clients.dynamodb, tableName);
    const second = await ensureDemoTable(clients.dynamodb, tableName);

    // then
    expect(first).toEqual({ streamArn: expect.stringContaining(`table/${tableName}/stream/`), created: true });
    expect(second).toEqual({ streamArn: first.streamArn, created: false });
    await clients.dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
  });

  it('creates a queue idempotently', async () => {
    // given
    const name = uniqueName('demo-prov-q');

    // when
    const [first, second] = [await ensureQueue(clients.sqs, name), await ensureQueue(clients.sqs, name)];

    // then
    expect(first).toMatch(new RegExp(`/${name}$`));
    expect(second).toBe(first);
    await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: first }));
  });

  it('creates the archive bucket idempotently', async () => {
    // given
    const bucket = uniqueName('demo-prov-b');

    // when
    await ensureBucket(clients.s3, bucket);
    await ensureBucket(clients.s3, bucket);

    // then
    await expect(clients.s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
    await deleteBucket(clients.s3, bucket);
  });

  it('creates versioned indexes with both aliases and the mappings of the sync definition, and drops them again', async () => {
    // given
    const names = { products: uniqueName('products-prov'), reviews: uniqueName('reviews-prov') };
    const routing = demoRoutingOf(demoSyncsOf(names).sync);

    // when
    await ensureDemoIndexes(clients.openSearch, routing);

    // then
    for (const base of [names.products, names.reviews]) {
      const aliases = await clients.openSearch.indices.getAlias({ index: physicalIndexName(base, 1) });
      expect(Object.keys((aliases.body as Record<string, { aliases: object }>)[physicalIndexName(base, 1)]?.aliases ?? {}).sort()).toEqual(
        [readAlias(base), writeAlias(base)].sort(),
      );
      const stored = await clients.openSearch.indices.getMapping({ index: physicalIndexName(base, 1) });
      const mappings = (stored.body as Record<string, { mappings: { dynamic?: unknown; properties: Record<string, { type?: string }> } }>)[
        physicalIndexName(base, 1)
      ]?.mappings;
      const expected = routing.shapes.mappingsOf(base);
      expect(String(mappings?.dynamic)).toBe(String(expected.dynamic));
      expect(typesOf(mappings?.properties ?? {})).toEqual(typesOf(expected.properties));
    }

    // when
    const dropped = await dropDemoIndexes(clients.openSearch, names);

    // then
    expect(dropped.sort()).toEqual([physicalIndexName(names.products, 1), physicalIndexName(names.reviews, 1)].sort());
    expect((await clients.openSearch.indices.exists({ index: physicalIndexName(names.products, 1) })).body).toBe(false);
    expect(await dropDemoIndexes(clients.openSearch, names)).toEqual([]);
  });
});

/** Each top-level field's mapping type (`object` for a field with sub-properties): what a document must fit. */
function typesOf(properties: Readonly<Record<string, object>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(properties).map(([name, mapping]) => [name, 'type' in mapping ? String(mapping.type) : 'object']),
  );
}
