import { isConfigurationError } from '@ddb-os/sync-config';
import { loadStreamReaderConfig as loadConfig } from '../../src/config';
import { InvalidStreamReaderConfigError } from '../../src/errors';

const base = { DLQ_URL: 'http://127.0.0.1:9324/000000000000/dlq' };
const loadStreamReaderConfig = (env: NodeJS.ProcessEnv) => loadConfig(['pk', 'sk'], env);

describe('loadStreamReaderConfig', () => {
  it("groups messages by the table's key attributes it is given, never by KEY_ATTRIBUTES", () => {
    const config = loadConfig(['orderId'], {
      ...base,
      KEY_ATTRIBUTES: 'pk,sk',
      BUFFER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/b.fifo',
    });
    expect(config.keyAttributes).toEqual(['orderId']);
  });

  it('publishes to a queue or to a topic', () => {
    expect(loadStreamReaderConfig({ ...base, BUFFER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/buffer.fifo' }).target).toEqual({
      kind: 'queue',
      queueUrl: 'http://127.0.0.1:9324/000000000000/buffer.fifo',
    });
    expect(loadStreamReaderConfig({ ...base, BUFFER_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:buffer.fifo' }).target).toEqual({
      kind: 'topic',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:buffer.fifo',
    });
  });

  it('names the problem when neither or both buffers are set', () => {
    expect(() => loadStreamReaderConfig(base)).toThrow(/set exactly one of BUFFER_QUEUE_URL/);
    expect(() =>
      loadStreamReaderConfig({
        ...base,
        BUFFER_QUEUE_URL: 'http://q/x.fifo',
        BUFFER_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t.fifo',
      }),
    ).toThrow(InvalidStreamReaderConfigError);
  });

  it.each([
    [{ DLQ_URL: 'ftp://127.0.0.1/dlq' }, 'DLQ_URL: must be an http(s) URL'],
    [{ SQS_ENDPOINT: 'file:///tmp/sqs' }, 'SQS_ENDPOINT: must be an http(s) URL'],
    [{ BUFFER_MAX_MESSAGE_BYTES: '2000000' }, 'BUFFER_MAX_MESSAGE_BYTES: must be ≤ 1048576'],
    [{ DLQ_MAX_MESSAGE_BYTES: '0' }, 'DLQ_MAX_MESSAGE_BYTES: must be ≥ 1'],
    [{ AWS_REGION: 'x' }, 'AWS_REGION: must be an AWS region name'],
  ])('rejects %j with a configuration error naming the variable', (override, expected) => {
    const load = () => loadStreamReaderConfig({ ...base, BUFFER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/buffer.fifo', ...override });
    expect(load).toThrow(expected);
    try {
      load();
    } catch (error) {
      expect(isConfigurationError(error)).toBe(true);
    }
  });

  it('rejects a topic that is not FIFO', () => {
    expect(() => loadStreamReaderConfig({ ...base, BUFFER_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:buffer' })).toThrow(
      /BUFFER_TOPIC_ARN: must be the ARN of an SNS FIFO topic/,
    );
  });
});
