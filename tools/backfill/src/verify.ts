import { DEFAULTS } from './constants';
import { DriftReport } from './drift-report';
import { VerifyInterruptedError } from './errors';
import type { PlanContext } from './item-plan';
import { NdjsonWriter } from './ndjson-writer';
import { childController } from './pool';
import { silentProgress } from './progress';
import { repairEntries, type RepairContext } from './repair';
import { verifyStatus } from './summary';
import { assertKeyAttributes, describeTable, readCapacityLimiter } from './table-scan';
import type { DriftEntry, IndexCount, VerifySummary } from './types';
import { countPhase } from './verify-counts';
import { extrasPhase } from './verify-extras';
import { keyPhase } from './verify-keys';
import type { Run, VerifyDependencies, VerifyOptions } from './verify-run';

export type { VerifyDependencies, VerifyOptions } from './verify-run';
export { documentDifference } from './verify-keys';
export { inSample } from './verify-run';

/**
 * Compares a table with its indexes in bounded memory, in three phases: (1) routed items per index vs the read
 * alias `_count`; (2) every item (or a sample) vs its document, by a canonical hash of the validated JSON-safe item
 * and the document `_source` without `ddbSync`/`ddbKeys` (`_mget` on the write alias, one request per page);
 * (3) every document of the read alias (scroll) vs the table (strongly consistent BatchGetItem): documents
 * without an item, or whose item routes elsewhere; an index that phase 2 proved complete (see
 * {@link provenWithoutExtras}) is not scrolled unless `fullExtras`. With `repair`, each drifted key is re-read and rewritten with
 * the snapshot order key (`source: 'repair'`), in batches.
 *
 * @example
 * const summary = await runVerify({ table: 'orders', segments: 4, concurrency: 4, sample: 1, sampleSeed: '', counts: true,
 *   keys: true, extras: true, repair: false }, { dynamo, openSearch, target });
 */
export async function runVerify(options: VerifyOptions, dependencies: VerifyDependencies): Promise<VerifySummary> {
  const now = dependencies.now ?? Date.now;
  const startedAt = now();
  const info = await describeTable(dependencies.dynamo, options.table);
  assertKeyAttributes(options.table, info, dependencies.target.keyAttributes);
  const report = new DriftReport(options.reportFile === undefined ? undefined : new NdjsonWriter(options.reportFile, { append: false }));
  const plan: PlanContext = dependencies.target;
  const sink = driftSink(options, report, {
    dynamo: dependencies.dynamo,
    table: options.table,
    keyTypes: info.keyTypes,
    client: dependencies.openSearch,
    target: dependencies.target,
    plan,
    source: 'repair',
    now,
  });
  const run: Run = {
    options,
    dependencies,
    info,
    plan,
    report,
    tally: {
      itemsScanned: 0,
      itemsCompared: 0,
      unrouted: 0,
      documentsChecked: 0,
      expiredKept: 0,
      comparedByIndex: new Map(),
      driftedIndexes: new Set(),
      extrasProven: [],
    },
    progress: dependencies.progress ?? silentProgress,
    controller: childController(dependencies.signal),
    limiter: readCapacityLimiter(options.table, info, options),
    found: sink.found,
  };
  let summary: VerifySummary | undefined;
  try {
    const counts = options.counts ? await countPhase(run) : undefined;
    if (counts !== undefined) await report.recordCounts(counts);
    if (options.keys) await keyPhase(run);
    if (options.extras) await extrasPhase(run);
    if (run.controller.signal.aborted) throw new VerifyInterruptedError();
    await sink.flush();
    summary = summarize(run, counts, now() - startedAt);
    return summary;
  } finally {
    run.progress.end();
    await report.close(summary);
  }
}

/**
 * Where drift goes: straight into the report, or (with `--repair`) into batches that are repaired first, so each
 * report line carries its repair outcome.
 */
function driftSink(
  options: VerifyOptions,
  report: DriftReport,
  repair: RepairContext,
): { found: (entry: DriftEntry) => Promise<void>; flush: () => Promise<void> } {
  const pending: DriftEntry[] = [];
  const flush = async (): Promise<void> => {
    const batch = pending.splice(0);
    if (batch.length === 0) return;
    for (const entry of await repairEntries(batch, repair)) await report.record(entry);
  };
  const found = async (entry: DriftEntry): Promise<void> => {
    if (!options.repair) return report.record(entry);
    pending.push(entry);
    if (pending.length >= DEFAULTS.repairBatchSize) await flush();
  };
  return { found, flush };
}

function summarize(run: Run, counts: IndexCount[] | undefined, durationMs: number): VerifySummary {
  const repair = run.options.repair ? { ...run.report.repair } : undefined;
  const countDrift = !run.options.keys && !run.options.extras && (counts ?? []).some((count) => count.documents !== count.tableItems);
  return {
    status: countDrift ? 'drift' : verifyStatus(run.report.total, repair),
    table: run.options.table,
    sample: run.options.sample,
    counts,
    itemsScanned: run.tally.itemsScanned,
    itemsCompared: run.tally.itemsCompared,
    unrouted: run.tally.unrouted,
    documentsChecked: run.tally.documentsChecked,
    expiredKept: run.tally.expiredKept,
    extrasProven: [...run.tally.extrasProven],
    drift: { ...run.report.drift },
    invalidItems: [...run.report.invalidItems],
    repair,
    durationMs,
    reportFile: run.options.reportFile,
  };
}
