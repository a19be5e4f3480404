import { InvalidIndexingConfigError } from '@ddb-os/indexing-core';
import { lambdaContext } from '@ddb-os/testing';
import { handler } from '../../src/main';

describe('opensearch-writer handler', () => {
  const savedEnvironment = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnvironment };
    handler.reset();
  });

  it('fails its first invocation, naming the variable, when the configuration is invalid', async () => {
    // given: no dead-letter queue configured
    process.env = {
      ...savedEnvironment,
      OPENSEARCH_NODE: 'http://127.0.0.1:9200',
    };
    delete process.env['DLQ_URL'];
    // when
    const run = handler({ Records: [] }, lambdaContext());
    // then
    await expect(run).rejects.toThrow(InvalidIndexingConfigError);
    await expect(handler({ Records: [] }, lambdaContext())).rejects.toThrow(/DLQ_URL/);
  });

  it('answers an empty batch with no failures', async () => {
    // given
    process.env = {
      ...savedEnvironment,
      OPENSEARCH_NODE: 'http://127.0.0.1:9200',
      DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq',
      METRICS_ENABLED: 'false',
    };
    // when
    const response = await handler({ Records: [] }, lambdaContext());
    // then
    expect(response).toEqual({ batchItemFailures: [] });
  });
});
