import { bindAddress, isLoopbackHost, parseEndpoint, parseServerNames, stackEndpointMap } from '../../src/config';
import { InvalidEndpointError, UnknownServerError } from '../../src/errors';
import { endpoint } from '../helpers/factories';

describe('stackEndpointMap', () => {
  it('uses the loopback defaults when the environment sets nothing', () => {
    // when
    const map = stackEndpointMap({});

    // then
    expect(Object.fromEntries(Object.entries(map).map(([name, value]) => [name, [value.url, value.port, value.fromEnv]]))).toEqual({
      dynamodb: ['http://127.0.0.1:8000', 8000, false],
      opensearch: ['http://127.0.0.1:9200', 9200, false],
      sqs: ['http://127.0.0.1:9324', 9324, false],
      s3: ['http://127.0.0.1:9000', 9000, false],
    });
  });

  it('takes the port from an endpoint variable and marks it as set', () => {
    // when
    const map = stackEndpointMap({ OPENSEARCH_NODE: 'http://localhost:9201/', S3_ENDPOINT: '  ' });

    // then
    expect(map.opensearch).toEqual({
      url: 'http://localhost:9201',
      host: 'localhost',
      port: 9201,
      loopback: true,
      envVar: 'OPENSEARCH_NODE',
      fromEnv: true,
    });
    expect(map.s3.url).toBe('http://127.0.0.1:9000');
  });
});

describe('parseEndpoint', () => {
  it('uses the scheme default port when the URL has none', () => {
    expect(parseEndpoint('OPENSEARCH_NODE', 'https://search.example.com', true)).toMatchObject({ port: 443, loopback: false });
    expect(parseEndpoint('SQS_ENDPOINT', 'http://10.1.2.3', true)).toMatchObject({ port: 80, loopback: false });
  });

  it.each([
    ['not a url', 'it is not a URL'],
    ['ftp://127.0.0.1:21', 'the scheme ftp: is not http: or https:'],
    ['http://127.0.0.1:9200/prefix', 'it has a path, query or fragment'],
  ])('rejects %j naming the variable and the reason', (value, reason) => {
    // when
    const parse = () => parseEndpoint('OPENSEARCH_NODE', value, true);

    // then
    expect(parse).toThrow(InvalidEndpointError);
    expect(parse).toThrow(`OPENSEARCH_NODE=${JSON.stringify(value)} is not a usable endpoint: ${reason}`);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1'])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '10.0.0.1', 'example.com', '128.0.0.1'])('rejects %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('bindAddress', () => {
  it('binds an IPv4 loopback literal as given and anything else to 127.0.0.1', () => {
    expect(bindAddress(endpoint({ host: '127.0.0.2' }))).toBe('127.0.0.2');
    expect(bindAddress(endpoint({ host: 'localhost' }))).toBe('127.0.0.1');
  });
});

describe('parseServerNames', () => {
  it('means all servers when none is given', () => {
    expect(parseServerNames([])).toEqual(['dynamodb', 'opensearch', 'sqs', 's3']);
  });

  it('accepts names in any case', () => {
    expect(parseServerNames(['OpenSearch', 's3'])).toEqual(['opensearch', 's3']);
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => parseServerNames(['redis'])).toThrow(new UnknownServerError('redis', ['dynamodb', 'opensearch', 'sqs', 's3']));
    expect(() => parseServerNames(['redis'])).toThrow('known servers: dynamodb, opensearch, sqs, s3');
  });
});
