import { STREAM_ARN } from '../helpers/factories';
import { InvalidRunnerOptionsError } from '../../src/errors';
import { dynamodbEndpoint, sqsEndpoint } from '../../src/aws-clients';
import { buildProgram, parseRunOptions, type RunCommandOptions } from '../../src/cli';

const base = { handler: 'apps/indexer/src/main.ts#handler', logFormat: 'auto' };

const problemsOf = (raw: Record<string, unknown>): string[] => {
  try {
    parseRunOptions(raw);
  } catch (error) {
    if (error instanceof InvalidRunnerOptionsError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the options to be rejected');
};

describe('parseRunOptions', () => {
  it('turns flags into runner settings', () => {
    // when
    const options = parseRunOptions({
      ...base,
      table: 'orders',
      batchSize: '25',
      batchingWindowMs: '500',
      maxRetryAttempts: '-1',
      maxRecordAgeSeconds: '3600',
      bisectOnError: true,
      startPosition: 'LATEST',
      timeoutSeconds: '30',
      onFailureQueueUrl: 'http://127.0.0.1:9324/000000000000/failures',
    });
    // then
    expect(options.settings).toEqual({
      tableName: 'orders',
      batchSize: 25,
      batchingWindowMs: 500,
      maxRetryAttempts: -1,
      maxRecordAgeSeconds: 3600,
      bisectBatchOnError: true,
      startPosition: 'LATEST',
      timeoutMs: 30_000,
    });
    expect(options.onFailureQueueUrl).toBe('http://127.0.0.1:9324/000000000000/failures');
  });

  it.each([
    [{ table: 'orders', batchSize: '0' }, '--batch-size: must be ≥ 1'],
    [{ table: 'orders', batchSize: '10001' }, '--batch-size: must be ≤ 10000'],
    [{ table: 'orders', batchSize: 'ten' }, '--batch-size: must be an integer'],
    [{ table: 'orders', maxRetryAttempts: '-2' }, '--max-retry-attempts: must be -1 (retry until the records expire) or 0–10000'],
    [{ table: 'orders', maxRecordAgeSeconds: '0' }, '--max-record-age-seconds: must be -1 (never discard) or 1–604800'],
    [{ table: 'orders', startPosition: 'AT_TIMESTAMP' }, '--start-position: must be TRIM_HORIZON or LATEST'],
    [{ table: 'orders', onFailureQueueUrl: 'failures' }, '--on-failure-queue-url: must be an SQS queue URL (http(s)://...)'],
    [
      { table: 'orders', onFailureQueueUrl: 'ftp://127.0.0.1:9324/000000000000/failures' },
      '--on-failure-queue-url: must be an SQS queue URL (http(s)://...)',
    ],
    [{}, 'give exactly one of --table or --stream-arn'],
    [{ table: 'orders', streamArn: STREAM_ARN }, 'give exactly one of --table or --stream-arn'],
    [
      { streamArn: 'arn:aws:dynamodb:x' },
      '--stream-arn: must be a stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>)',
    ],
  ])('rejects %j naming the flag', (flags, problem) => {
    // when
    const problems = problemsOf({ ...base, ...flags });
    // then
    expect(problems.some((line) => line.includes(problem))).toBe(true);
  });
});

describe('endpoints from the environment', () => {
  it('takes http(s) URLs and "aws", with the local stack as default', () => {
    expect(dynamodbEndpoint({})).toBe('http://127.0.0.1:8000');
    expect(dynamodbEndpoint({ DYNAMODB_ENDPOINT: 'aws' })).toBe('aws');
    expect(sqsEndpoint({ SQS_ENDPOINT: 'https://sqs.eu-west-1.amazonaws.com' })).toBe('https://sqs.eu-west-1.amazonaws.com');
  });

  it.each([
    [() => dynamodbEndpoint({ DYNAMODB_ENDPOINT: 'ftp://127.0.0.1:8000' }), 'DYNAMODB_ENDPOINT: must be an http(s) URL'],
    [() => sqsEndpoint({ SQS_ENDPOINT: '127.0.0.1:9324' }), 'SQS_ENDPOINT: must be an http(s) URL'],
  ])('rejects anything else naming the variable (%#)', (read, problem) => {
    expect(read).toThrow(InvalidRunnerOptionsError);
    expect(read).toThrow(problem);
  });
});

describe('buildProgram', () => {
  it('parses the run command with commander and hands validated options over', async () => {
    // given
    let received: RunCommandOptions | undefined;
    const program = buildProgram(async (options) => {
      received = options;
    });
    // when
    await program.parseAsync(['node', 'cli', 'run', '--table', 'orders', '--batch-size', '7', '--bisect-on-error', '--handler', 'x.ts#h']);
    // then
    expect(received?.settings).toEqual({ tableName: 'orders', batchSize: 7, bisectBatchOnError: true });
    expect(received?.handlerSpec).toBe('x.ts#h');
    expect(received?.logFormat).toBe('auto');
  });
});
