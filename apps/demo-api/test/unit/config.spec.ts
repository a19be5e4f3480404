import { componentAwsEnvironment, loadConfig } from '../../src/config';
import { InvalidDemoConfigError } from '../../src/errors';

describe('loadConfig', () => {
  it('defaults to the local stack on loopback with local credentials', () => {
    // when
    const config = loadConfig({});

    // then
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      tableName: 'demo-items',
      indexes: { products: 'products', reviews: 'reviews' },
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      sqsEndpoint: 'http://127.0.0.1:9324',
      openSearch: { node: 'http://127.0.0.1:9200', auth: { kind: 'none' } },
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      archive: { s3Endpoint: 'http://127.0.0.1:9000', bucket: 'demo-failures', prefix: 'failures/' },
      dlqUrl: undefined,
      seedCount: 0,
    });
  });

  it('leaves credentials to the SDK chain when the archive S3 is not on loopback', () => {
    // when
    const config = loadConfig({ S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com' });

    // then
    expect(config.credentials).toBeUndefined();
  });

  it('refuses an archive bucket that is not an S3 bucket name', () => {
    expect(() => loadConfig({ ARCHIVE_BUCKET: 'Demo_Failures' })).toThrow(/ARCHIVE_BUCKET: must be an S3 bucket name/);
  });

  it('leaves credentials to the SDK chain for non-loopback endpoints', () => {
    // when
    const config = loadConfig({
      DYNAMODB_ENDPOINT: 'https://dynamodb.eu-west-1.amazonaws.com',
      SQS_ENDPOINT: 'https://sqs.eu-west-1.amazonaws.com',
    });

    // then
    expect(config.credentials).toBeUndefined();
  });

  it("refuses one index for both products and reviews, naming the index variables and the definition's reason", () => {
    // when
    const load = () => loadConfig({ DEMO_PRODUCTS_INDEX: 'catalogue', DEMO_REVIEWS_INDEX: 'catalogue' });

    // then
    expect(load).toThrow(InvalidDemoConfigError);
    expect(load).toThrow(/DEMO_PRODUCTS_INDEX\/DEMO_REVIEWS_INDEX: .*routes\[1\]/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DEMO_TABLE: '' })).toMatchObject({ port: 3000, tableName: 'demo-items' });
  });

  it.each(['DYNAMODB_ENDPOINT', 'OPENSEARCH_NODE', 'SQS_ENDPOINT', 'S3_ENDPOINT', 'DLQ_URL', 'ON_FAILURE_QUEUE_URL'])(
    'refuses an endpoint in %s that is not http(s)',
    (variable) => {
      expect(() => loadConfig({ [variable]: 'ftp://127.0.0.1:21' })).toThrow(new RegExp(`${variable}: must be an http\\(s\\) URL`));
    },
  );

  it('names every bad variable in one error', () => {
    // when
    const load = () =>
      loadConfig({
        PORT: '70000',
        OPENSEARCH_NODE: 'not a url',
        DEMO_PRODUCTS_INDEX: 'Products',
        DEMO_SEED: 'many',
        BACKEND_TIMEOUT_MS: '5',
      });

    // then
    expect(load).toThrow(InvalidDemoConfigError);
    expect(load).toThrow(/PORT: must be a TCP port/);
    expect(load).toThrow(/OPENSEARCH_NODE: must be an http\(s\) URL of the OpenSearch endpoint/);
    expect(load).toThrow(/DEMO_PRODUCTS_INDEX: must be a lowercase OpenSearch index name/);
    expect(load).toThrow(/DEMO_SEED: must be a count/);
    expect(load).toThrow(/BACKEND_TIMEOUT_MS: must be at least 100 ms/);
  });

  it('requires both halves of explicit credentials and of basic auth', () => {
    // when
    const load = () => loadConfig({ AWS_ACCESS_KEY_ID: 'x', OPENSEARCH_AUTH: 'basic' });

    // then
    expect(load).toThrow(/AWS_SECRET_ACCESS_KEY: set both/);
    expect(load).toThrow(/OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD/);
  });

  it('keeps the session token of explicit temporary credentials', () => {
    expect(loadConfig({ AWS_ACCESS_KEY_ID: 'ASIA1', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' }).credentials).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 's',
      sessionToken: 't',
    });
  });
});

describe('componentAwsEnvironment', () => {
  it('hands the demo credentials to the components, blanking a session token that is not theirs', () => {
    // given: local credentials on loopback
    const config = loadConfig({ AWS_REGION: 'eu-west-1' });

    // when
    const env = componentAwsEnvironment(config);

    // then
    expect(env).toEqual({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: '' });
  });

  it('names no credentials when the SDK chain decides', () => {
    expect(componentAwsEnvironment(loadConfig({ DYNAMODB_ENDPOINT: 'https://dynamodb.eu-west-1.amazonaws.com' }))).toEqual({
      AWS_REGION: 'us-east-1',
    });
  });
});
