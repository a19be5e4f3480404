import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stackEndpoints } from '@ddb-os/testing';
import { runDdbOs } from '../../src/program';
import { captured } from '../helpers/capture';

jest.setTimeout(30_000);

describe('ddb-os status signs its OpenSearch requests with the credentials of the command', () => {
  const seen: IncomingHttpHeaders[] = [];
  let server: Server;
  let node: string;

  beforeAll(async () => {
    // A stand-in for a SigV4 domain: records each request's headers and answers that no alias exists.
    server = createServer((request, response) => {
      seen.push(request.headers);
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    node = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('uses the AWS_* keys of its environment, not the process default chain', async () => {
    // given an environment (not the process's) naming SigV4 and its own keys
    const endpoints = stackEndpoints();
    const context = captured({
      DYNAMODB_ENDPOINT: endpoints.dynamodb,
      SQS_ENDPOINT: endpoints.sqs,
      S3_ENDPOINT: endpoints.s3,
      OPENSEARCH_NODE: node,
      OPENSEARCH_AUTH: 'sigv4',
      AWS_ACCESS_KEY_ID: 'AKIDOFTHECOMMAND',
      AWS_SECRET_ACCESS_KEY: 'secret-of-the-command',
    });
    // when the status of the demo sync (keys declared) is read for a table that does not exist
    await runDdbOs(['node', 'ddb-os', 'status', '--sync', 'demo', '--table', 'no-such-table-for-status'], context);
    // then the indexes were checked, every request signed with the command's key
    expect(context.output().err).not.toMatch(/could not load credentials/i);
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) expect(String(headers['authorization'])).toContain('Credential=AKIDOFTHECOMMAND/');
  });
});
