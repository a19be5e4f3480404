import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingCommandError } from '../../src/errors';
import { formatStatus, formatUpReport, renderTable } from '../../src/format';
import { hasIntegrationTests } from '../../src/jest/global-setup';
import { commandAfterSeparator } from '../../src/with-stack';

describe('commandAfterSeparator', () => {
  it('takes everything after --', () => {
    expect(commandAfterSeparator(['--', 'nx', 'run-many', '-t', 'test', '--', 'x'])).toEqual(['nx', 'run-many', '-t', 'test', '--', 'x']);
  });

  it('takes all arguments when there is no --', () => {
    expect(commandAfterSeparator(['echo', 'hi'])).toEqual(['echo', 'hi']);
  });

  it('rejects an empty command with the usage', () => {
    expect(() => commandAfterSeparator(['--'])).toThrow(MissingCommandError);
    expect(() => commandAfterSeparator([])).toThrow('Usage: tsx tools/local-stack/src/with-stack.ts -- <command> [args...]');
  });
});

describe('tables', () => {
  it('aligns columns', () => {
    expect(
      renderTable(
        ['A', 'LONG'],
        [
          ['xyz', '1'],
          ['q', '22'],
        ],
      ),
    ).toBe('A    LONG\nxyz  1\nq    22');
  });

  it('status shows DOWN, the detail, and dashes for unknown values', () => {
    // when
    const text = formatStatus([
      {
        name: 'opensearch',
        title: 'OpenSearch',
        endpoint: 'http://127.0.0.1:9200',
        up: false,
        version: undefined,
        pid: undefined,
        owner: undefined,
        detail: 'nothing listens on the port',
      },
      {
        name: 'sqs',
        title: 'SQS',
        endpoint: 'http://127.0.0.1:9324',
        up: true,
        version: '1.7.1',
        pid: 42,
        owner: 'local-stack',
        detail: undefined,
      },
    ]);

    // then
    const [, down, up] = text.split('\n');
    expect(down?.split(/\s{2,}/)).toEqual(['OpenSearch', 'http://127.0.0.1:9200', 'DOWN', '-', '-', '-', 'nothing listens on the port']);
    expect(up?.split(/\s{2,}/)).toEqual(['SQS', 'http://127.0.0.1:9324', 'up', '1.7.1', '42', 'local-stack']);
  });

  it('up shows endpoint, version and whether the server was started now', () => {
    const text = formatUpReport([
      {
        name: 's3',
        title: 'S3',
        software: 'S3Proxy',
        endpoint: 'http://127.0.0.1:9000',
        version: '4.1.0',
        origin: 'external',
        pid: undefined,
        seconds: 0.25,
      },
    ]);
    expect(text.split('\n')[1]?.split(/\s{2,}/)).toEqual([
      'S3',
      'http://127.0.0.1:9000',
      'S3Proxy',
      '4.1.0',
      '-',
      'external (not ours)',
      '0.3',
    ]);
  });
});

describe('hasIntegrationTests', () => {
  it('finds *.int.spec.ts below the project but not in node_modules', () => {
    // given
    const withTests = mkdtempSync(join(tmpdir(), 'ls-proj-'));
    mkdirSync(join(withTests, 'test', 'deep'), { recursive: true });
    writeFileSync(join(withTests, 'test', 'deep', 'thing.int.spec.ts'), '');
    const withoutTests = mkdtempSync(join(tmpdir(), 'ls-proj-'));
    mkdirSync(join(withoutTests, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(withoutTests, 'node_modules', 'pkg', 'x.int.spec.ts'), '');
    writeFileSync(join(withoutTests, 'unit.spec.ts'), '');

    // when / then
    expect(hasIntegrationTests(withTests)).toBe(true);
    expect(hasIntegrationTests(withoutTests)).toBe(false);
    expect(hasIntegrationTests(join(withoutTests, 'missing'))).toBe(false);
  });
});
