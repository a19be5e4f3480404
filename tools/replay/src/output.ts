import { SingleBar, Presets } from 'cli-progress';
import type { ArchiveSummary } from './listing';
import { REPAIR_ADVICE } from './constants';
import type { ObjectReport, RunTotals } from './types';

/** Where the CLI writes: human text on a terminal, JSON lines otherwise (pipes, CI, `--json`). */
export interface Output {
  readonly human: boolean;
  line(text: string): void;
  json(value: unknown): void;
  /** A progress bar on stderr for a terminal; a no-op otherwise. */
  progress(total: number): { tick(label: string): void; stop(): void };
}

/** The streams the CLI writes to. */
export interface CliStreams {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/**
 * An output for `streams`: human when stdout is a terminal and JSON lines were not asked for.
 *
 * @example
 * const out = createOutput({ stdout: process.stdout, stderr: process.stderr }, { json: false });
 */
export function createOutput(streams: CliStreams, options: { readonly json: boolean }): Output {
  const human = !options.json && streams.stdout.isTTY === true;
  return {
    human,
    line: (text) => streams.stdout.write(`${text}\n`),
    json: (value) => streams.stdout.write(`${JSON.stringify(value)}\n`),
    progress: (total) =>
      human && streams.stderr.isTTY === true ? terminalBar(streams.stderr, total) : { tick: () => undefined, stop: () => undefined },
  };
}

function terminalBar(stream: NodeJS.WritableStream, total: number): { tick(label: string): void; stop(): void } {
  const bar = new SingleBar(
    { stream, format: 'replay [{bar}] {value}/{total} {label}', clearOnComplete: true, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return { tick: (label) => bar.increment(1, { label }), stop: () => bar.stop() };
}

/**
 * The human rendering of `replay list`.
 *
 * @example
 * formatSummary(summarize(entries)).forEach((line) => console.log(line));
 */
export function formatSummary(summary: ArchiveSummary): string[] {
  const lines = [`${summary.objects} archived object(s), ${summary.records} stream record(s)`];
  for (const [title, counts] of [
    ['by table', summary.byTable],
    ['by kind', summary.byKind],
    ['by reason / condition', summary.byReason],
    ['by day', summary.byDay],
  ] as const) {
    lines.push('', `${title}:`, ...Object.entries(counts).map(([name, count]) => `  ${String(count).padStart(6)}  ${name}`));
  }
  if (summary.lostRanges.length > 0) {
    lines.push(
      '',
      `LOST RANGES (${summary.lostRanges.length}): records gone from the stream — need \`verify --repair\` (\`npx ddb-os verify --sync <sync> --table <table> --repair\`):`,
    );
    lines.push(...summary.lostRanges.map((entry) => `  ${entry.key}  [${entry.lostCondition ?? 'unknown'}] ${entry.reason}`));
  }
  if (summary.foreign.length > 0) {
    lines.push('', `not archive objects (ignored): ${summary.foreign.length}`, ...summary.foreign.map((key) => `  ${key}`));
  }
  return lines;
}

/**
 * One human line per replayed object, plus its failures, skips and advice.
 *
 * @example
 * formatReport(report).forEach((line) => console.log(line));
 */
export function formatReport(report: ObjectReport): string[] {
  const { items, indexed, deleted, stale, skipped, failed } = report.counts;
  const lines = [
    `${report.status.toUpperCase().padEnd(12)} ${report.key}  items=${items} indexed=${indexed} deleted=${deleted} stale=${stale} skipped=${skipped} failed=${failed}`,
  ];
  lines.push(...report.planned.map((action) => `  would ${action.action} ${action.index}/${action.id} (order ${action.order})`));
  lines.push(...report.failures.map((failure) => `  failed ${failure.id ?? '(record)'}: ${failure.reason}`));
  lines.push(...report.skips.map((skip) => `  skipped ${skip.id}: ${skip.reason}`));
  if (report.movedTo) lines.push(`  moved to ${report.movedTo}`);
  if (report.advice) lines.push(`  note: ${report.advice}`);
  return lines;
}

/**
 * The closing line(s) of a human `replay run`.
 *
 * @example
 * console.log(formatTotals(totals));
 */
export function formatTotals(totals: RunTotals): string {
  const statuses = Object.entries(totals.byStatus)
    .map(([status, count]) => `${status}=${count}`)
    .join(' ');
  const lines = [
    '',
    `${totals.dryRun ? 'DRY RUN (nothing changed): ' : ''}${totals.objects} object(s) ${statuses}`.trimEnd(),
    `indexed=${totals.indexed} deleted=${totals.deleted} stale=${totals.stale} skipped=${totals.skipped} failed=${totals.failed}`,
  ];
  if (totals.needsRepair.length > 0) lines.push(`${totals.needsRepair.length} lost range(s): ${REPAIR_ADVICE}`);
  return lines.join('\n');
}
