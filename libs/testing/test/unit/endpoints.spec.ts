import { stackEndpoints } from '../../src/endpoints';

describe('stackEndpoints', () => {
  it('defaults to the local stack on loopback with dummy credentials', () => {
    expect(stackEndpoints({})).toEqual({
      dynamodb: 'http://127.0.0.1:8000',
      opensearch: 'http://127.0.0.1:9200',
      sqs: 'http://127.0.0.1:9324',
      s3: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  it('reads every value from its environment variable, ignoring blank ones', () => {
    // given
    const env = {
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:18000',
      OPENSEARCH_NODE: 'http://127.0.0.1:19200',
      SQS_ENDPOINT: 'http://127.0.0.1:19324',
      S3_ENDPOINT: ' ',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'id',
      AWS_SECRET_ACCESS_KEY: 'secret',
    };

    // when / then
    expect(stackEndpoints(env)).toEqual({
      dynamodb: 'http://127.0.0.1:18000',
      opensearch: 'http://127.0.0.1:19200',
      sqs: 'http://127.0.0.1:19324',
      s3: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
  });
});
