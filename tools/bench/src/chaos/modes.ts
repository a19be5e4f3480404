import type { ChaosOptions } from './report';

/** The settings of each mode that the command line can override. */
export type ModeSettings = Pick<
  ChaosOptions,
  'operations' | 'rate' | 'keys' | 'poison' | 'killOpenSearch' | 'faultGapMs' | 'drainTimeoutMs'
>;

/** Full run (`nx run bench:chaos`) and reduced run (the test suite, ≤ ~2 minutes). */
export const CHAOS_MODES: Readonly<Record<ChaosOptions['mode'], ModeSettings>> = {
  full: { operations: 10_000, rate: 50, keys: 300, poison: 10, killOpenSearch: true, faultGapMs: 2_500, drainTimeoutMs: 300_000 },
  reduced: { operations: 1_500, rate: 40, keys: 200, poison: 4, killOpenSearch: false, faultGapMs: 2_000, drainTimeoutMs: 120_000 },
};

/** What the chaos run promises, for the report. */
export const CHAOS_NOTES: readonly string[] = [
  'lost = live table items missing from the index (absent or a tombstone); stale = documents that differ from the item (all attributes compared); resurrected = deleted keys live in the index or visible through the read alias.',
  'every key the run wrote is compared: the table is scanned (strongly consistent), documents are fetched by id from the write alias (tombstones included), deleted keys are searched on the read alias.',
  'poison items are fixed by a later valid put of the same key before the drain; replay then re-drives the archived poison records from the table. Nothing is excluded (parked = 0).',
  'the failure path runs as in AWS: the indexer dead-letters poison records to an SQS DLQ, the runner sends given-up batches to an on-failure queue, the failure handler (apps/failure-handler, invoked in-process per SQS batch) archives both to S3, and the replay CLI (tools/replay, child process) re-drives the archive after the drain.',
];
