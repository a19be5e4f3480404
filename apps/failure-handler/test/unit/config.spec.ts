import { isConfigurationError } from '@ddb-os/sync-config';
import { loadFailureHandlerConfig } from '../../src/config';
import { InvalidFailureHandlerConfigError } from '../../src/errors';

describe('loadFailureHandlerConfig', () => {
  it('applies the defaults', () => {
    // given only the bucket
    // when loaded
    const config = loadFailureHandlerConfig({ ARCHIVE_BUCKET: 'sync-failures' });

    // then
    expect(config).toEqual({
      archive: { bucket: 'sync-failures', prefix: 'failures/', gzip: false },
      s3Endpoint: undefined,
      dynamoDbEndpoint: undefined,
      tableName: undefined,
      region: 'us-east-1',
      maxGetRecordsCalls: 100,
      metricsNamespace: 'DynamoDbOpenSearchSync',
      serviceName: 'failure-handler',
    });
  });

  it('reads every variable', () => {
    // when loaded
    const config = loadFailureHandlerConfig({
      ARCHIVE_BUCKET: 'b-1',
      ARCHIVE_PREFIX: 'x/failures/',
      ARCHIVE_GZIP: 'true',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      TABLE_NAME: 'orders',
      AWS_REGION: 'eu-west-1',
      MAX_GET_RECORDS_CALLS: '7',
    });

    // then
    expect(config).toMatchObject({
      archive: { bucket: 'b-1', prefix: 'x/failures/', gzip: true },
      s3Endpoint: 'http://127.0.0.1:9000',
      dynamoDbEndpoint: 'http://127.0.0.1:8000',
      tableName: 'orders',
      region: 'eu-west-1',
      maxGetRecordsCalls: 7,
    });
  });

  it('names every bad variable in one error', () => {
    // given no bucket, a bad flag and a bad URL
    const env = { ARCHIVE_GZIP: 'yes', S3_ENDPOINT: 'not a url' };

    // when / then
    expect(() => loadFailureHandlerConfig(env)).toThrow(InvalidFailureHandlerConfigError);
    try {
      loadFailureHandlerConfig(env);
    } catch (error) {
      const problems = (error as InvalidFailureHandlerConfigError).problems.join('\n');
      expect(problems).toMatch(/ARCHIVE_BUCKET: is required/);
      expect(problems).toMatch(/ARCHIVE_GZIP: must be true, false, 1 or 0/);
      expect(problems).toMatch(/S3_ENDPOINT: must be an http\(s\) URL of the S3 endpoint, e\.g\. http:\/\/127\.0\.0\.1:9000/);
    }
  });

  it('refuses endpoints that are not http(s) and marks the error as a configuration error', () => {
    // given URLs of another scheme
    const env = { ARCHIVE_BUCKET: 'b-1', DYNAMODB_ENDPOINT: 'ftp://127.0.0.1:8000', MAX_GET_RECORDS_CALLS: '0' };

    // when
    let thrown: unknown;
    try {
      loadFailureHandlerConfig(env);
    } catch (error) {
      thrown = error;
    }

    // then
    expect(isConfigurationError(thrown)).toBe(true);
    expect((thrown as InvalidFailureHandlerConfigError).problems).toEqual([
      expect.stringMatching(/^DYNAMODB_ENDPOINT: must be an http\(s\) URL/),
      expect.stringMatching(/^MAX_GET_RECORDS_CALLS: must be ≥ 1/),
    ]);
  });
});
