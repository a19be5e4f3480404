import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSIONS } from '../../src/constants';
import { parsePidRecord } from '../../src/pid-files';
import { elasticMqConfig } from '../../src/servers/elasticmq';
import { openSearchSettings, openSearchVersion } from '../../src/servers/opensearch';
import { s3ProxyProperties } from '../../src/servers/s3proxy';
import { endpoint } from '../helpers/factories';

describe('OpenSearch launch settings', () => {
  it('runs a single node on the endpoint port without disk watermarks', () => {
    expect(openSearchSettings(endpoint({ port: 9201 }), '/data/os')).toEqual([
      '-Ediscovery.type=single-node',
      '-Enetwork.host=127.0.0.1',
      '-Ehttp.port=9201',
      '-Ecluster.name=ddb-os-local',
      '-Enode.name=local-stack',
      '-Epath.data=/data/os',
      '-Ecluster.routing.allocation.disk.threshold_enabled=false',
    ]);
  });

  it('recognises OpenSearch by its GET / answer and nothing else', () => {
    expect(openSearchVersion({ version: { distribution: 'opensearch', number: '2.19.6' } })).toBe('2.19.6');
    expect(openSearchVersion({ version: { number: '8.15.0' } })).toBeUndefined();
    expect(openSearchVersion('<html>')).toBeUndefined();
  });
});

describe('ElasticMQ config', () => {
  it('binds the REST SQS API to the endpoint and puts its host in queue URLs', () => {
    // when
    const config = elasticMqConfig(endpoint({ host: 'localhost', port: 9325, url: 'http://localhost:9325' }), 'eu-west-1');

    // then
    expect(config).toContain('node-address { protocol = http, host = "localhost", port = 9325, context-path = "" }');
    expect(config).toContain('rest-sqs { enabled = true, bind-port = 9325, bind-hostname = "127.0.0.1", sqs-limits = strict }');
    expect(config).toContain('rest-stats { enabled = false }');
    expect(config).toContain('aws { region = "eu-west-1", accountId = "000000000000" }');
  });
});

describe('S3Proxy properties', () => {
  it('uses the filesystem backend and checks signatures with the stack credentials', () => {
    // when
    const properties = s3ProxyProperties(endpoint({ port: 9000 }), '/data/s3', { accessKeyId: 'local', secretAccessKey: 'secret' });

    // then
    expect(properties.split('\n')).toEqual(
      expect.arrayContaining([
        's3proxy.endpoint=http://127.0.0.1:9000',
        's3proxy.authorization=aws-v2-or-v4',
        's3proxy.identity=local',
        's3proxy.credential=secret',
        'jclouds.provider=filesystem',
        'jclouds.filesystem.basedir=/data/s3',
      ]),
    );
  });
});

describe('pinned versions', () => {
  it('the ElasticMQ pom default matches VERSIONS', () => {
    const pom = readFileSync(join(__dirname, '..', '..', 'maven', 'elasticmq', 'pom.xml'), 'utf8');
    expect(/<elasticmq\.version>([^<]+)<\/elasticmq\.version>/.exec(pom)?.[1]).toBe(VERSIONS.elasticmq);
  });

  it('OpenSearch stays on 2.x', () => {
    expect(VERSIONS.opensearch).toMatch(/^2\.19\.\d+$/);
  });
});

describe('parsePidRecord', () => {
  it('reads a record we wrote', () => {
    const text = JSON.stringify({ pid: 1234, version: '1.7.1', endpoint: 'http://127.0.0.1:9324', startedAt: '2026-01-01T00:00:00Z' });
    expect(parsePidRecord(text)).toEqual({
      pid: 1234,
      version: '1.7.1',
      endpoint: 'http://127.0.0.1:9324',
      startedAt: '2026-01-01T00:00:00Z',
    });
  });

  it.each(['', 'not json', '{"pid":"12"}', '{"pid":1}', '{"pid":-5}'])('ignores %j', (text) => {
    expect(parsePidRecord(text)).toBeUndefined();
  });
});
