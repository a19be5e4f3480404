import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jsonLines } from '../../src/child-run';
import { machineInfo, machineLine } from '../../src/machine';
import { markdownTable, publishResult, resultMarkdown, writeResult } from '../../src/report';
import type { BenchEnvelope } from '../../src/types';

const envelope = (overrides: Partial<BenchEnvelope> = {}): BenchEnvelope => ({
  bench: 'demo',
  command: 'npx nx run bench:demo',
  generatedAt: '2026-11-26T00:00:00.000Z',
  machine: { cpuModel: 'CPU', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20.0.0', loadAverageAtStart: [1, 1, 1] },
  versions: { opensearch: '2.19.6', dynamodb: '5.2.5' },
  settings: {},
  quick: false,
  notes: ['a note'],
  ...overrides,
});

describe('markdownTable', () => {
  it('formats a header, a separator and the rows', () => {
    expect(markdownTable(['a', 'b'], [[1, 'x']])).toBe('| a | b |\n| --- | --- |\n| 1 | x |');
  });
});

describe('resultMarkdown', () => {
  it('states the command, the machine and the versions, and marks reduced runs', () => {
    const text = resultMarkdown(envelope({ quick: true }), 'Demo', ['body']);
    expect(text).toContain('`npx nx run bench:demo` (reduced run, not a reportable figure)');
    expect(text).toContain('2 × CPU, 8 GiB, Linux; Node v20.0.0; OpenSearch 2.19.6, moto 5.2.5');
    expect(text).toContain('- a note');
  });
});

describe('writeResult', () => {
  it('writes the JSON and the Markdown side by side', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
    try {
      const file = writeResult(dir, envelope(), '# Demo\n');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ bench: 'demo', command: 'npx nx run bench:demo' });
      expect(readFileSync(path.join(dir, 'demo.md'), 'utf8')).toBe('# Demo\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('publishResult', () => {
  it('writes the result and prints where, named by its bench', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
    const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      publishResult(dir, envelope(), '# Demo\n');
      expect(printed).toHaveBeenCalledWith(`demo: wrote ${path.join(dir, 'demo.json')}`);
      expect(JSON.parse(readFileSync(path.join(dir, 'demo.json'), 'utf8'))).toMatchObject({ bench: 'demo' });
      expect(readFileSync(path.join(dir, 'demo.md'), 'utf8')).toBe('# Demo\n');
    } finally {
      printed.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('machineInfo', () => {
  it('describes this machine', () => {
    const machine = machineInfo();
    expect(machine.cores).toBeGreaterThan(0);
    expect(machine.node).toBe(process.version);
    expect(machine.loadAverageAtStart).toHaveLength(3);
    expect(machineLine(machine, {})).toContain(`Node ${process.version}`);
  });
});

describe('jsonLines', () => {
  it('keeps the JSON objects of a command output and skips the rest', () => {
    expect(jsonLines('{"a":1}\nprogress 50%\n{broken\n  {"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
