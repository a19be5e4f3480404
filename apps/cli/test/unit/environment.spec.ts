import { commandEnvironment } from '../../src/environment';
import { InvalidCliOptionsError } from '../../src/errors';

describe('the environment of a command', () => {
  it("defaults every endpoint to the local stack, the region to us-east-1, and uses the local stack's credentials (no AWS_* set)", () => {
    expect(commandEnvironment({}, {})).toMatchObject({
      OPENSEARCH_NODE: 'http://127.0.0.1:9200',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      SQS_ENDPOINT: 'http://127.0.0.1:9324',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
  });

  it('lets flags win over the environment, and the environment over the defaults', () => {
    // given
    const env = { OPENSEARCH_NODE: 'http://127.0.0.1:19200', DYNAMODB_ENDPOINT: 'http://127.0.0.1:18000', AWS_REGION: 'eu-west-1' };
    // when
    const result = commandEnvironment({ dynamodbEndpoint: 'http://localhost:28000', region: 'eu-central-1' }, env);
    // then
    expect(result).toMatchObject({
      OPENSEARCH_NODE: 'http://127.0.0.1:19200',
      DYNAMODB_ENDPOINT: 'http://localhost:28000',
      AWS_REGION: 'eu-central-1',
    });
  });

  it('leaves "aws" endpoints to the SDK and never invents credentials for them', () => {
    // when
    const result = commandEnvironment({ dynamodbEndpoint: 'aws', opensearchNode: 'https://search-x.eu-west-1.es.amazonaws.com' }, {});
    // then
    expect(result).not.toHaveProperty('DYNAMODB_ENDPOINT');
    expect(result['OPENSEARCH_NODE']).toBe('https://search-x.eu-west-1.es.amazonaws.com');
    expect(result).not.toHaveProperty('AWS_ACCESS_KEY_ID');
  });

  it('keeps configured credentials', () => {
    expect(commandEnvironment({}, { AWS_PROFILE: 'ops' })).not.toHaveProperty('AWS_ACCESS_KEY_ID');
    expect(commandEnvironment({}, { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' })).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIA' });
  });

  it('names every bad flag', () => {
    expect(() => commandEnvironment({ s3Endpoint: 's3.local', region: 'Europe' }, {})).toThrow(InvalidCliOptionsError);
    expect(() => commandEnvironment({ s3Endpoint: 's3.local', region: 'Europe' }, {})).toThrow(
      /--s3-endpoint: must be an http\(s\) URL or "aws"[\s\S]*--region: must be an AWS region/,
    );
  });
});
