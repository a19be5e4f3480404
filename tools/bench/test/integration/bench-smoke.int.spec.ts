import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { indexerThroughput } from '../../src/benches/indexer-throughput';
import { peerBench } from '../../src/benches/peer';

jest.setTimeout(180_000);

describe('indexer-throughput in reduced mode (smoke)', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'bench-smoke-'));

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('measures the indexer on the local stack and writes a result of the documented shape', async () => {
    // when the bench runs in reduced mode
    const result = await indexerThroughput(['--quick', '--seed', '7', '--out', outDir]);
    // then the JSON on disk is the result, with the machine, the versions and one measured configuration
    const written = JSON.parse(readFileSync(path.join(outDir, 'indexer-throughput.json'), 'utf8')) as typeof result;
    expect(written).toEqual(JSON.parse(JSON.stringify(result)));
    expect(written).toMatchObject({
      bench: 'indexer-throughput',
      quick: true,
      command: `npx nx run bench:indexer-throughput -- --quick --seed 7 --out ${outDir}`,
      machine: { cores: expect.any(Number), cpuModel: expect.any(String), memoryGiB: expect.any(Number), node: process.version },
      versions: { opensearch: expect.stringMatching(/^2\./), dynamodb: expect.any(String) },
      settings: { handler: 'tools/bench/src/bench-indexer.ts#handler', sync: 'bench-reviews', seed: 7, runs: 1 },
    });
    expect(written.configurations).toHaveLength(1);
    const [configuration] = written.configurations;
    expect(configuration?.runs).toHaveLength(1);
    expect(configuration?.workload.records).toBe(300);
    expect(configuration?.median).toMatchObject({
      records: 300,
      recordsPerSecond: expect.any(Number),
      cpuUsPerRecord: expect.any(Number),
      gbSecondsPerMillionAt512: expect.any(Number),
      gbSecondsPerMillionAt1024: expect.any(Number),
      decodeUsPerRecord: expect.any(Number),
      planUsPerRecord: expect.any(Number),
      openSearchMsPerBatch: expect.any(Number),
    });
    expect(configuration?.median.recordsPerSecond).toBeGreaterThan(0);
    expect(configuration?.median.documents).toBeLessThan(300);
    expect(readFileSync(path.join(outDir, 'indexer-throughput.md'), 'utf8')).toContain('| 1 KB | 100 |');
  });
});

describe('peer in reduced mode (smoke)', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'bench-smoke-peer-'));

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs both contenders against OpenSearch and the null endpoint and writes pairs, cost and init figures', async () => {
    // when the bench runs in reduced mode (it builds our bundle and installs the pinned peer on first use)
    const result = await peerBench(['--quick', '--seed', '7', '--out', outDir]);
    // then the JSON on disk is the result: one pair per endpoint, both contenders measured, init of both
    const written = JSON.parse(readFileSync(path.join(outDir, 'peer.json'), 'utf8')) as typeof result;
    expect(written).toEqual(JSON.parse(JSON.stringify(result)));
    expect(written).toMatchObject({ bench: 'peer', quick: true, settings: { seed: 7, pairs: 1 } });
    expect(
      written.configurations.map((configuration) => [configuration.endpoint, configuration.batchSize, configuration.pairs.length]),
    ).toEqual([
      ['opensearch', 100, 1],
      ['null', 100, 1],
    ]);
    for (const { pairs } of written.configurations) {
      const [pair] = pairs;
      expect(pair?.ours.records).toBe(300);
      expect(pair?.peer.records).toBe(300);
      expect(pair?.ratio).toBeCloseTo((pair?.ours.recordsPerSecond ?? 0) / (pair?.peer.recordsPerSecond ?? 1), 2);
      expect(pair?.ours.cpuMsPer1k).toBeGreaterThan(0);
      expect(pair?.peer.gbSecondsPerMillionAt1024).toBeCloseTo((pair?.peer.gbSecondsPerMillionAt512 ?? 0) * 2, -1);
    }
    expect(written.init.map((init) => [init.contender, init.runs.length, init.sourceMapShipped])).toEqual([
      ['ours', 1, false],
      ['peer', 1, false],
    ]);
    expect(written.init[0]?.median.requireMs).toBeGreaterThan(0);
    expect(readFileSync(path.join(outDir, 'peer.md'), 'utf8')).toContain('**null endpoint, 1 KB × 100**');
  });
});
