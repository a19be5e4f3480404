import { InvalidIndexingConfigError } from '@ddb-os/indexing-core';
import { syncs } from '@ddb-os/syncs';
import { lambdaContext } from '@ddb-os/testing';
import { handler } from '../../src/main';

describe('indexer handler (the workspace definition compiled in)', () => {
  const savedEnvironment = { ...process.env };
  const valid = {
    OPENSEARCH_NODE: 'http://127.0.0.1:9200',
    DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq',
    METRICS_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  afterEach(() => {
    process.env = { ...savedEnvironment };
    handler.reset();
  });

  it("serves the definition's only sync without SYNC_NAME, and answers an empty batch with no failures", async () => {
    process.env = { ...savedEnvironment, ...valid };
    await expect(handler({ Records: [] }, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
  });

  it("accepts the deployment's SYNC_NAME and SYNC_FINGERPRINT of the compiled-in sync", async () => {
    const [name] = syncs.names;
    process.env = { ...savedEnvironment, ...valid, SYNC_NAME: name, SYNC_FINGERPRINT: syncs.named(name).fingerprint };
    await expect(handler({ Records: [] }, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
  });

  it.each([
    [{ SYNC_NAME: 'nope' }, /SYNC_NAME: names no sync of the definition/],
    [{ SYNC_FINGERPRINT: 'feedfacefeedface' }, /SYNC_FINGERPRINT: the deployment was synthesized from another definition/],
    [{ DLQ_URL: undefined }, /DLQ_URL: is required/],
  ])('fails its first invocation with %j, naming the variable', async (override, expected) => {
    process.env = { ...savedEnvironment, ...valid, ...override };
    const run = handler({ Records: [] }, lambdaContext());
    await expect(run).rejects.toThrow(InvalidIndexingConfigError);
    await expect(handler({ Records: [] }, lambdaContext())).rejects.toThrow(expected);
  });
});
