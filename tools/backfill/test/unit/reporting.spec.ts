import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DriftReport } from '../../src/drift-report';
import { InvalidOptionsError } from '../../src/errors';
import { NdjsonWriter } from '../../src/ndjson-writer';
import { backfillOptionsFrom, retryFailuresOptionsFrom, verifyOptionsFrom } from '../../src/options';
import { JsonLinesProgress, throughput } from '../../src/progress';
import { backfillExitCode, EXIT, formatBackfillSummary, formatVerifySummary, verifyExitCode, verifyStatus } from '../../src/summary';
import type { BackfillSummary, VerifySummary } from '../../src/types';
import { counts, tempDir } from '../helpers/factories';

function backfillSummary(partial: Partial<BackfillSummary> = {}): BackfillSummary {
  return {
    status: 'completed',
    source: 'table:orders',
    segments: { total: 4, done: 4 },
    counts: counts({ read: 1000, indexed: 990, stale: 5, unrouted: 3, failed: 2 }),
    pagesThisRun: 10,
    readThisRun: 1000,
    pageRetries: 1,
    consumedRcu: 125.5,
    durationMs: 4_000,
    itemsPerSecond: 250,
    checkpointFile: '.cache/backfill/orders.checkpoint.json',
    failuresFile: '.cache/backfill/orders.failures.ndjson',
    ...partial,
  };
}

function verifySummary(partial: Partial<VerifySummary> = {}): VerifySummary {
  return {
    status: 'drift',
    table: 'orders',
    sample: 1,
    counts: [{ index: 'products', tableItems: 10, documents: 9 }],
    itemsScanned: 12,
    itemsCompared: 10,
    unrouted: 2,
    documentsChecked: 9,
    expiredKept: 0,
    extrasProven: [],
    drift: { missing: 1, different: 0, extra: 0, invalid: 0 },
    invalidItems: [],
    repair: undefined,
    durationMs: 1_500,
    reportFile: undefined,
    ...partial,
  };
}

describe('backfill summary', () => {
  it('shows every count, and where the failures and the checkpoint are', () => {
    // when
    const text = formatBackfillSummary(backfillSummary());
    // then
    expect(text).toContain('read 1000 · indexed 990 · skipped as stale 5 · unrouted 3 · failed 2');
    expect(text).toContain('failures .cache/backfill/orders.failures.ndjson');
    expect(text).toContain('retry-failures --table orders --failures-file .cache/backfill/orders.failures.ndjson');
    expect(text).toContain('checkpoint .cache/backfill/orders.checkpoint.json');
  });

  it('tells how to continue an interrupted run', () => {
    expect(formatBackfillSummary(backfillSummary({ status: 'aborted' }))).toContain('--resume');
  });

  it('exits 0 when done, 1 when items failed, 130 when interrupted', () => {
    expect(backfillExitCode(backfillSummary({ counts: counts({ read: 5, indexed: 5 }) }))).toBe(EXIT.ok);
    expect(backfillExitCode(backfillSummary())).toBe(EXIT.attention);
    expect(backfillExitCode(backfillSummary({ status: 'aborted' }))).toBe(EXIT.interrupted);
  });
});

describe('verify summary', () => {
  it('is clean without drift, or when every drifted key was repaired', () => {
    expect(verifyStatus(0, undefined)).toBe('clean');
    expect(verifyStatus(3, { repaired: 3, stale: 0, unrepaired: 0 })).toBe('clean');
  });

  it('reports drift when keys differ and are not repaired, or their repair was superseded (verify again)', () => {
    expect(verifyStatus(1, undefined)).toBe('drift');
    expect(verifyStatus(3, { repaired: 2, stale: 0, unrepaired: 1 })).toBe('drift');
    expect(verifyStatus(3, { repaired: 2, stale: 1, unrepaired: 0 })).toBe('drift');
  });

  it('exits 0 when clean and 1 on drift', () => {
    expect(verifyExitCode(verifySummary({ status: 'clean' }))).toBe(0);
    expect(verifyExitCode(verifySummary())).toBe(1);
  });

  it('shows counts per index, the drift by kind and the repair outcome', () => {
    // when
    const text = formatVerifySummary(verifySummary({ repair: { repaired: 1, stale: 0, unrepaired: 0 }, sample: 0.1 }));
    // then
    expect(text).toContain('(sample 0.1)');
    expect(text).toContain('index products: 10 table items, 9 documents (-1)');
    expect(text).toContain('missing 1 · different 0 · extra 0 · invalid 0');
    expect(text).toContain('repair: repaired 1');
  });

  it('lists each invalid item with its key, index and reason, and says how to see the ones not listed', () => {
    // when
    const text = formatVerifySummary(
      verifySummary({
        drift: { missing: 0, different: 0, extra: 0, invalid: 3 },
        invalidItems: [
          { keys: { pk: 'a', sk: '1' }, index: undefined, reason: 'Attribute name at __proto__ is not supported' },
          { keys: { pk: 'b', sk: '1' }, index: 'misc', reason: 'Unindexable attribute name: attribute "ddbKeys.pk" …' },
        ],
      }),
    );
    // then
    expect(text).toContain('invalid item {"pk":"a","sk":"1"}: Attribute name at __proto__ is not supported');
    expect(text).toContain('invalid item {"pk":"b","sk":"1"} (index misc): Unindexable attribute name: attribute "ddbKeys.pk" …');
    expect(text).toContain('… and 1 more invalid items (list them all with --report <file>)');
  });
});

describe('DriftReport', () => {
  it('counts drift and repair outcomes and writes one NDJSON line per entry, then the summary', async () => {
    // given
    const file = path.join(await tempDir(), 'report.ndjson');
    const report = new DriftReport(new NdjsonWriter(file, { append: false }));
    // when
    await report.recordCounts([{ index: 'products', tableItems: 3, documents: 2 }]);
    await report.record({
      kind: 'missing',
      index: 'products',
      id: 'a',
      keys: { pk: 'a' },
      reason: 'no document',
      repair: { status: 'repaired' },
    });
    await report.record({
      kind: 'extra',
      index: 'products',
      id: 'b',
      keys: undefined,
      reason: 'no table item',
      repair: { status: 'unrepaired', reason: 'no key' },
    });
    await report.close(verifySummary());
    // then
    expect(report.drift).toEqual({ missing: 1, different: 0, extra: 1, invalid: 0 });
    expect(report.repair).toEqual({ repaired: 1, stale: 0, unrepaired: 1 });
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line['type'])).toEqual(['count', 'drift', 'drift', 'summary']);
    expect(lines[0]).toMatchObject({ index: 'products', difference: -1 });
    expect(lines[2]).toMatchObject({ kind: 'extra', id: 'b', repair: { status: 'unrepaired' } });
  });

  it('keeps the first invalid items, with key, index and reason, for the summary', async () => {
    // given
    const report = new DriftReport(undefined);
    // when
    await report.record({ kind: 'invalid', index: undefined, id: undefined, keys: { pk: 'a' }, reason: 'cannot be converted' });
    await report.record({ kind: 'missing', index: 'products', id: 'b', keys: { pk: 'b' }, reason: 'no document' });
    // then
    expect(report.invalidItems).toEqual([{ keys: { pk: 'a' }, index: undefined, reason: 'cannot be converted' }]);
  });
});

describe('progress', () => {
  it('computes the rate and, when every total is known, the ETA', () => {
    const tracks = [
      { done: 100, track: { total: 400 } },
      { done: 100, track: { total: 400 } },
    ];
    expect(throughput(tracks, 0, 2_000)).toEqual({ rate: 100, etaSeconds: 6 });
    expect(throughput([{ done: 100, track: {} }], 0, 1_000)).toEqual({ rate: 100, etaSeconds: undefined });
  });

  it('writes JSON progress lines with the summed counters', () => {
    // given
    let now = 0;
    const written: string[] = [];
    const progress = new JsonLinesProgress(
      { write: (line: string) => written.push(line) } as unknown as NodeJS.WritableStream,
      60_000,
      () => now,
    );
    progress.begin('backfill', [
      { id: '0', label: 'segment 0', total: 100 },
      { id: '1', label: 'segment 1', total: 100 },
    ]);
    // when
    now = 1_000;
    progress.update('0', { done: 50, counters: { indexed: 49, failed: 1 } });
    progress.update('1', { done: 100, finished: true, counters: { indexed: 100, failed: 0 } });
    progress.end();
    // then
    expect(JSON.parse(written[0] ?? '{}')).toEqual({
      msg: 'progress',
      phase: 'backfill',
      elapsedMs: 1_000,
      done: 150,
      total: 200,
      perSecond: 150,
      etaSeconds: 0,
      tracksFinished: 1,
      tracks: 2,
      indexed: 149,
      failed: 1,
    });
  });
});

describe('command-line options', () => {
  it('fills the backfill defaults and derives the state files from the table name', () => {
    const { options, progress } = backfillOptionsFrom({ table: 'orders', segments: '8', resume: true });
    expect(options).toEqual({
      source: { kind: 'scan', table: 'orders', segments: 8, pageSize: undefined, maxRcu: undefined, maxRcuPercent: undefined },
      concurrency: 4,
      checkpointFile: '.cache/backfill/orders.checkpoint.json',
      mode: 'resume',
      failuresFile: '.cache/backfill/orders.failures.ndjson',
      maxPageAttempts: 8,
    });
    expect(progress).toEqual({ mode: 'auto', intervalSeconds: 10 });
  });

  it('names every bad backfill option', () => {
    const parse = () =>
      backfillOptionsFrom({ table: 'orders', export: 's3://b/p', segments: '0', resume: true, restart: true, maxRcu: 'lots' });
    expect(parse).toThrow(InvalidOptionsError);
    expect(parse).toThrow(/--segments: must be ≥ 1/);
    expect(parse).toThrow(/--max-rcu: must be a number/);
    expect(parse).toThrow(/--table: give exactly one source/);
    expect(parse).toThrow(/--restart: cannot be combined with --resume/);
  });

  it('reads an export source with its page size', () => {
    const { options } = backfillOptionsFrom({ export: 's3://exports/orders/AWSDynamoDB/0170-abc', exportTime: '2026-01-01T00:00:00Z' });
    expect(options.source).toEqual({
      kind: 'export',
      url: 's3://exports/orders/AWSDynamoDB/0170-abc',
      exportTime: '2026-01-01T00:00:00Z',
      pageSize: 1000,
    });
    expect(options.checkpointFile).toBe('.cache/backfill/export-0170-abc.checkpoint.json');
  });

  it('counts by default for a full verify but not for a sample, unless asked', () => {
    expect(verifyOptionsFrom({ table: 'orders' }).options).toMatchObject({
      sample: 1,
      counts: true,
      keys: true,
      extras: true,
      repair: false,
    });
    expect(verifyOptionsFrom({ table: 'orders', sample: '0.01' }).options).toMatchObject({ sample: 0.01, counts: false });
    expect(verifyOptionsFrom({ table: 'orders', sample: '0.01', counts: true }).options.counts).toBe(true);
    expect(verifyOptionsFrom({ table: 'orders', countsOnly: true }).options).toMatchObject({ counts: true, keys: false, extras: false });
  });

  it('names every bad verify option', () => {
    expect(() => verifyOptionsFrom({ table: 'x', sample: '1.5' })).toThrow(
      /--table: must be a DynamoDB table name[\s\S]*--sample: must be ≤ 1/,
    );
    expect(() => verifyOptionsFrom({ table: 'orders', countsOnly: true, repair: true })).toThrow(/--repair: needs the key phases/);
  });

  it('derives the still-failing file of retry-failures', () => {
    expect(retryFailuresOptionsFrom({ table: 'orders', failuresFile: 'f.ndjson' })).toMatchObject({
      stillFailingFile: 'f.still-failing.ndjson',
      maxPageAttempts: 8,
    });
  });
});
