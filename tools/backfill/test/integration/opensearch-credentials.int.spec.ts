import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTable, deleteTable, dynamoClient, stackEndpoints, testSync, uniqueName } from '@ddb-os/testing';
import { runCli, type CliStreams } from '../../src/cli';

jest.setTimeout(30_000);

describe('the backfill commands sign OpenSearch requests with the credentials of their own environment', () => {
  const dynamo = dynamoClient();
  const table = uniqueName('bf-credentials');
  const seen: IncomingHttpHeaders[] = [];
  let server: Server;
  let node: string;

  beforeAll(async () => {
    await createTable(dynamo, table);
    // A stand-in for a SigV4 domain: records each request's headers and answers like an empty index.
    server = createServer((request, response) => {
      seen.push(request.headers);
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"count":0,"hits":{"hits":[]},"docs":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    node = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await deleteTable(dynamo, table);
    dynamo.destroy();
  });

  it('uses the AWS_* keys the command is given, not the process default chain', async () => {
    // given an environment (not the process's) naming SigV4 and its own keys
    const errors: string[] = [];
    const env: NodeJS.ProcessEnv = {
      DYNAMODB_ENDPOINT: stackEndpoints().dynamodb,
      OPENSEARCH_NODE: node,
      OPENSEARCH_AUTH: 'sigv4',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDOFTHECOMMAND',
      AWS_SECRET_ACCESS_KEY: 'secret-of-the-command',
    };
    const streams: CliStreams = {
      out: { write: () => true } as unknown as NodeJS.WritableStream,
      err: { write: (text: string) => errors.push(text), isTTY: false } as unknown as NodeJS.WriteStream,
      env,
      sync: () => testSync({ routes: [{ index: `${table}-docs`, match: { always: true } }] }),
    };
    // when
    await runCli(['node', 'cli', 'verify', '--table', table, '--progress', 'none'], streams);
    // then every request reached the domain signed with the command's key
    expect(errors.filter((line) => /could not load credentials/i.test(line))).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) expect(String(headers['authorization'])).toContain('Credential=AKIDOFTHECOMMAND/');
  });
});
