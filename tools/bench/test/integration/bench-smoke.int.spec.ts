import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { indexerThroughput } from '../../src/benches/indexer-throughput';

jest.setTimeout(120_000);

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
      settings: { handler: 'apps/indexer/src/main.ts#handler', seed: 7, runs: 1 },
    });
    expect(written.configurations).toHaveLength(1);
    const [configuration] = written.configurations;
    expect(configuration?.runs).toHaveLength(1);
    expect(configuration?.workload.records).toBe(300);
    expect(configuration?.median).toMatchObject({
      records: 300,
      recordsPerSecond: expect.any(Number),
      cpuUsPerRecord: expect.any(Number),
      decodeUsPerRecord: expect.any(Number),
      planUsPerRecord: expect.any(Number),
      openSearchMsPerBatch: expect.any(Number),
    });
    expect(configuration?.median.recordsPerSecond).toBeGreaterThan(0);
    expect(configuration?.median.documents).toBeLessThan(300);
    expect(readFileSync(path.join(outDir, 'indexer-throughput.md'), 'utf8')).toContain('| 1 KB | 100 |');
  });
});
