import type { Client } from '@opensearch-project/opensearch';
import { createOpenSearchClient, type OpenSearchClientConfig } from '../../src/client';
import { InvalidIndexWriterConfigError } from '../../src/errors';
import { CaptureServer } from '../helpers/capture-server';

const fakeCredentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });

describe('createOpenSearchClient', () => {
  let server: CaptureServer;
  let node: string;
  let client: Client | undefined;

  beforeEach(async () => {
    server = new CaptureServer();
    node = await server.start();
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await server.stop();
  });

  it('sends no Authorization header without auth, over keep-alive connections', async () => {
    client = createOpenSearchClient({ node });
    await client.info();
    expect(server.headers[0]?.authorization).toBeUndefined();
    expect(server.headers[0]?.connection).toBe('keep-alive');
  });

  it('sends basic auth', async () => {
    client = createOpenSearchClient({ node, auth: { kind: 'basic', username: 'admin', password: 's3cret' } });
    await client.info();
    expect(server.headers[0]?.authorization).toBe(`Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
  });

  it.each([
    ['es', { kind: 'sigv4', region: 'eu-west-1' } as const],
    ['aoss', { kind: 'sigv4', region: 'eu-west-1', service: 'aoss' } as const],
  ])('signs requests with SigV4 for service %s', async (service, auth) => {
    // given a SigV4 client with injected credentials
    client = createOpenSearchClient({ node, auth }, { credentials: fakeCredentials });
    // when
    await client.info();
    // then the request carries a SigV4 signature for the region and service, and the session token
    expect(server.headers[0]?.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/${service}/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(server.headers[0]?.['x-amz-security-token']).toBe('token');
    expect(server.headers[0]?.['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, OpenSearchClientConfig, RegExp]>([
    ['a node that is not a URL', { node: 'localhost:9200' }, /node: /],
    ['a non-http node', { node: 'ftp://127.0.0.1' }, /node: /],
    [
      'basic auth without username',
      { node: 'http://127.0.0.1:9200', auth: { kind: 'basic', username: '', password: 'x' } },
      /auth\.username: /,
    ],
    ['SigV4 without region', { node: 'http://127.0.0.1:9200', auth: { kind: 'sigv4', region: '' } }, /auth\.region: /],
    [
      'an unknown SigV4 service',
      { node: 'http://127.0.0.1:9200', auth: { kind: 'sigv4', region: 'x', service: 'lambda' as 'es' } },
      /auth\.service: /,
    ],
    [
      'an unknown auth kind',
      { node: 'http://127.0.0.1:9200', auth: { kind: 'token' } as unknown as OpenSearchClientConfig['auth'] },
      /auth\.kind: /,
    ],
    ['a zero request timeout', { node: 'http://127.0.0.1:9200', requestTimeoutMs: 0 }, /requestTimeoutMs: /],
  ])('rejects %s, naming the field', (_label, config, field) => {
    const create = (): Client => createOpenSearchClient(config);
    expect(create).toThrow(InvalidIndexWriterConfigError);
    expect(create).toThrow(field);
  });
});
