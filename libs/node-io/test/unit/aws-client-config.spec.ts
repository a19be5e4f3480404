import { awsClientConfig } from '../../src';

describe('awsClientConfig', () => {
  const keys = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' };
  const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' };

  it('takes the credentials the environment names for the real AWS endpoint (not only the default chain)', () => {
    // The stream runner's copy dropped them for `aws`: an `env` that is not the process environment lost its keys.
    expect(awsClientConfig('aws', { AWS_REGION: 'eu-west-1', ...keys })).toEqual({ region: 'eu-west-1', credentials });
    expect(awsClientConfig(undefined, { AWS_DEFAULT_REGION: 'eu-west-2', ...keys })).toEqual({ region: 'eu-west-2', credentials });
  });

  it('takes them for a custom endpoint too', () => {
    expect(awsClientConfig(' http://127.0.0.1:8000 ', keys)).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:8000',
      credentials,
    });
  });

  it('signs loopback endpoints with local credentials when the environment names none, and leaves AWS to the default chain', () => {
    expect(awsClientConfig('http://localhost:9324', {})).toEqual({
      region: 'us-east-1',
      endpoint: 'http://localhost:9324',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    expect(awsClientConfig('https://dynamodb.eu-west-1.amazonaws.com', {})).toEqual({
      region: 'us-east-1',
      endpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
    });
    expect(awsClientConfig('aws', { AWS_ACCESS_KEY_ID: 'only-half' })).toEqual({ region: 'us-east-1' });
  });
});
