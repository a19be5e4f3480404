import { EXIT } from '@ddb-os/node-io';
import type { JsonObject } from '@ddb-os/stream-decoding';
import type { BackfillSummary, IndexCount, VerifySummary } from './types';

export { EXIT };

/** The exit code of a backfill run. */
export function backfillExitCode(summary: BackfillSummary): number {
  if (summary.status === 'aborted') return EXIT.interrupted;
  return summary.counts.failed > 0 ? EXIT.attention : EXIT.ok;
}

/** The exit code of a verify run: 0 clean, 1 drift. */
export function verifyExitCode(summary: VerifySummary): number {
  return summary.status === 'clean' ? EXIT.ok : EXIT.attention;
}

/**
 * Whether a verify run leaves drift: without `--repair`, any drifted key; with it, any key not repaired. A key
 * whose repair was skipped as `stale` (the index holds a change at least as new as the repair's read) is not
 * counted as fixed: usually a streamed change raced the check, so run verify again to confirm.
 */
export function verifyStatus(drift: number, repair: VerifySummary['repair']): VerifySummary['status'] {
  if (drift === 0) return 'clean';
  if (repair === undefined) return 'drift';
  return repair.repaired >= drift ? 'clean' : 'drift';
}

/** Human-readable lines of a backfill summary. */
export function formatBackfillSummary(summary: BackfillSummary): string {
  const { read, indexed, stale, unrouted, failed } = summary.counts;
  const lines = [
    `backfill ${summary.status}: ${summary.source}, segments ${summary.segments.done}/${summary.segments.total}`,
    `  read ${read} · indexed ${indexed} · skipped as stale ${stale} · unrouted ${unrouted} · failed ${failed}`,
    `  this run: ${summary.readThisRun} items in ${summary.pagesThisRun} pages, ${(summary.durationMs / 1000).toFixed(1)} s, ${summary.itemsPerSecond} items/s, ${summary.consumedRcu} RCU, ${summary.pageRetries} page retries`,
    `  checkpoint ${summary.checkpointFile}`,
  ];
  if (failed > 0) {
    const table = summary.source.startsWith('table:') ? summary.source.slice('table:'.length) : '<table>';
    lines.push(
      `  failures ${summary.failuresFile} (fix the cause, then: retry-failures --table ${table} --failures-file ${summary.failuresFile})`,
    );
  }
  if (summary.status === 'aborted') lines.push('  interrupted: run the same command with --resume to continue');
  return lines.join('\n');
}

/** Human-readable lines of a verify summary. */
export function formatVerifySummary(summary: VerifySummary): string {
  const lines = [
    `verify ${summary.status}: table ${summary.table}${summary.sample < 1 ? ` (sample ${summary.sample})` : ''}`,
    ...(summary.counts ?? []).map(formatCount),
    `  compared ${summary.itemsCompared} of ${summary.itemsScanned} items (unrouted ${summary.unrouted}); checked ${summary.documentsChecked} documents for extras (expired kept ${summary.expiredKept})${summary.extrasProven.length > 0 ? `; no extras possible in ${summary.extrasProven.join(', ')} (every item matched and the live count equals them)` : ''}`,
    `  missing ${summary.drift.missing} · different ${summary.drift.different} · extra ${summary.drift.extra} · invalid ${summary.drift.invalid}`,
  ];
  for (const item of summary.invalidItems)
    lines.push(`  invalid item ${formatKeys(item.keys)}${item.index === undefined ? '' : ` (index ${item.index})`}: ${item.reason}`);
  const unlisted = summary.drift.invalid - summary.invalidItems.length;
  if (unlisted > 0)
    lines.push(`  … and ${unlisted} more invalid items${summary.reportFile === undefined ? ' (list them all with --report <file>)' : ''}`);
  if (summary.repair !== undefined) {
    lines.push(
      `  repair: repaired ${summary.repair.repaired} · index already newer ${summary.repair.stale} (verify again to confirm) · unrepaired ${summary.repair.unrepaired}`,
    );
  }
  if (summary.reportFile !== undefined) lines.push(`  report ${summary.reportFile}`);
  lines.push(`  ${(summary.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

function formatKeys(keys: JsonObject | undefined): string {
  return keys === undefined ? '(key unreadable)' : JSON.stringify(keys);
}

function formatCount(count: IndexCount): string {
  const difference = count.documents - count.tableItems;
  return `  index ${count.index}: ${count.tableItems} table items, ${count.documents} documents${difference === 0 ? '' : ` (${difference > 0 ? '+' : ''}${difference})`}`;
}
