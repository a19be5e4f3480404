import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LostRange } from '@ddb-os/failure-archive';
import type { IntendedWrite } from '@ddb-os/index-writer';
import type { JsonObject, OrderKey } from '@ddb-os/opensearch-mapping';
import type { DecodedChange } from '@ddb-os/stream-decoding';

/** One item an archive object touches: what to read from the table and what the archive says about it. */
export interface ReplayTarget {
  /** Document id (`documentId(keys, keyAttributes)`), the same the indexer uses. */
  readonly id: string;
  /** The item's key, JSON-safe (document id input and `ddbKeys`). */
  readonly keys: JsonObject;
  /** The item's key as GetItem wants it. */
  readonly tableKey: Record<string, AttributeValue>;
  /** Archived images of the item (old and new): the indexes it was routed to when it failed. */
  readonly archivedImages: readonly JsonObject[];
  /** Archived REMOVE records of the item, in stream order (version mode orders tombstones by them). */
  readonly archivedRemoves: readonly DecodedChange[];
}

/** A record of an archive object replay cannot use, with why. */
export interface UnreadableRecord {
  /** Position among the object's records (0-based). */
  readonly position: number;
  readonly reason: string;
}

/** The current state of an item, read with a strongly consistent read. */
export interface TableRead {
  /** The item, JSON-safe; undefined when the table no longer has it. */
  readonly item: JsonObject | undefined;
  /** Wall-clock time taken just before the read was sent (epoch ms). */
  readonly readAtMs: number;
}

/** A write replay intends, with what it means for the report. */
export interface PlannedWrite extends IntendedWrite {
  readonly action: 'index' | 'tombstone';
}

/** What replay decided for one target. */
export type TargetPlan =
  | { readonly kind: 'write'; readonly writes: readonly PlannedWrite[] }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string };

/** One line of a dry run: what would be written. */
export interface PlannedAction {
  readonly index: string;
  readonly id: string;
  readonly action: 'index' | 'tombstone';
  readonly order: OrderKey;
}

/** What happened to one archive object. */
export interface ObjectReport {
  readonly key: string;
  readonly kind: string;
  readonly table: string | null;
  /**
   * - `replayed`: every item written (or already newer) and the object moved to the replayed prefix;
   * - `needs-repair`: a lost range — recovered records replayed, the object stays (see `verify --repair`);
   * - `failed`: some writes failed; the object stays for another run;
   * - `manual`: nothing replay can do (unparseable message); the object stays;
   * - `dry-run`: nothing changed, `planned` lists what would be written.
   */
  readonly status: 'replayed' | 'needs-repair' | 'failed' | 'manual' | 'dry-run';
  readonly counts: {
    readonly items: number;
    readonly indexed: number;
    readonly deleted: number;
    readonly stale: number;
    readonly skipped: number;
    readonly failed: number;
  };
  readonly failures: readonly { readonly id: string | null; readonly reason: string }[];
  readonly skips: readonly { readonly id: string; readonly reason: string }[];
  readonly planned: readonly PlannedAction[];
  readonly movedTo: string | null;
  readonly lost: LostRange | null;
  readonly advice: string | null;
}

/** Totals of one `replay run`. */
export interface RunTotals {
  readonly dryRun: boolean;
  readonly objects: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly indexed: number;
  readonly deleted: number;
  readonly stale: number;
  readonly skipped: number;
  readonly failed: number;
  /** Lost-range objects: their recovered records were replayed; the rest needs `verify --repair`. */
  readonly needsRepair: readonly string[];
}
