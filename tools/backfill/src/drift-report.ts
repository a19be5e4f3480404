import type { NdjsonWriter } from './ndjson-writer';
import { DEFAULTS } from './constants';
import type { DriftEntry, DriftKind, IndexCount, InvalidItem, RepairOutcome, VerifySummary } from './types';

/**
 * Counts drift and repair outcomes and, with `--report`, streams every entry as an NDJSON line
 * (`{"type":"drift",…}`, `{"type":"count",…}`, then a final `{"type":"summary",…}`).
 */
export class DriftReport {
  readonly drift: Record<DriftKind, number> = { missing: 0, different: 0, extra: 0, invalid: 0 };
  readonly repair = { repaired: 0, stale: 0, unrepaired: 0 };
  /** The first invalid items, for the summary (the report file has them all). */
  readonly invalidItems: InvalidItem[] = [];

  constructor(private readonly writer: NdjsonWriter | undefined) {}

  /** Drifted keys found so far. */
  get total(): number {
    return this.drift.missing + this.drift.different + this.drift.extra + this.drift.invalid;
  }

  /** Records one drifted key (with its repair outcome when repairing). */
  async record(entry: DriftEntry): Promise<void> {
    this.drift[entry.kind] += 1;
    if (entry.kind === 'invalid' && this.invalidItems.length < DEFAULTS.summaryInvalidItems) {
      this.invalidItems.push({ keys: entry.keys, index: entry.index, reason: entry.reason });
    }
    if (entry.repair !== undefined) this.countRepair(entry.repair);
    await this.writer?.write({ type: 'drift', ...entry });
  }

  /** Records the per-index counts of the first phase. */
  async recordCounts(counts: readonly IndexCount[]): Promise<void> {
    for (const count of counts) await this.writer?.write({ type: 'count', ...count, difference: count.documents - count.tableItems });
  }

  /** Writes the summary line and closes the report file. */
  async close(summary: VerifySummary | undefined): Promise<void> {
    if (summary !== undefined) await this.writer?.write({ type: 'summary', ...summary });
    await this.writer?.close();
  }

  private countRepair(outcome: RepairOutcome): void {
    this.repair[outcome.status] += 1;
  }
}
