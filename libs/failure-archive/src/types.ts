/** What an archive object holds. */
export type ArchiveKind =
  /** Records of a batch the indexer gave up on, re-read from the stream. */
  | 'stream-batch'
  /** A failed batch whose records (some or all) could no longer be read from the stream. */
  | 'lost-range'
  /** One record the indexer dead-lettered, with the reason. */
  | 'poison-record'
  /** A queue message that was neither of the above, kept as received. */
  | 'unparseable';

/** Why some records of a failed range could not be read back. */
export type LostRangeCondition =
  /** Past the stream's 24-hour retention (TrimmedDataAccessException, or the shard starts after the range). */
  | 'trimmed'
  /** The shard is not (or no longer) part of the stream. */
  | 'shard-not-found'
  /** The stream itself is gone (table deleted, or the stream disabled and re-enabled under a new ARN). */
  | 'stream-not-found'
  /** The reader stopped before reaching the end of the range (shard ended early, or the call budget ran out). */
  | 'range-incomplete';

/** An inclusive range of sequence numbers of one shard (decimal strings, compared as BigInt). */
export interface SequenceRange {
  readonly start: string;
  readonly end: string;
}

/** The part of a failed range that could not be read, and why. */
export interface LostRange {
  readonly condition: LostRangeCondition;
  readonly range: SequenceRange;
  /** What the reader saw, e.g. the error message or the first sequence number it got. */
  readonly detail: string;
}

/** Where an archived failure came from. */
export interface ArchiveSource {
  /** SQS message id of the message that was archived. */
  readonly messageId: string;
  /** SHA-256 (hex) of the message body: the same message always has the same digest. */
  readonly digest: string;
  /** When SQS first received the message (ISO), if known. */
  readonly sentAt: string | null;
  /** ARN of the queue the message came from, if known. */
  readonly queueArn: string | null;
}

/** First line of every archive object. */
export interface ArchiveHeader {
  readonly formatVersion: number;
  readonly kind: ArchiveKind;
  /** Lambda's condition (e.g. `RetryAttemptsExhausted`), the indexer's poison reason, or why the message was unparseable. */
  readonly reason: string;
  /** When the failure happened (ISO): the on-failure record's timestamp, the poison record's failedAt, or the message's sent time. */
  readonly failedAt: string;
  readonly archivedAt: string;
  /** Table name, or null when it cannot be known (unparseable message). */
  readonly table: string | null;
  readonly streamArn: string | null;
  readonly shardId: string | null;
  /** The failed range (a poison record: its own sequence number twice). */
  readonly range: SequenceRange | null;
  /** Set when some or all of `range` could not be read back (`kind: 'lost-range'`). */
  readonly lost: LostRange | null;
  readonly counts: {
    /** Stream records in this object (lines after the header). */
    readonly records: number;
    /** Records the failed batch had (Lambda's `batchSize`), when known. */
    readonly expected: number | null;
  };
  readonly source: ArchiveSource;
  /** The rest of the original message: Lambda's request/response context, the DLQ fields, or the raw body. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** A decoded archive object: its header and its stream records (Lambda's record shape). */
export interface Archive {
  readonly header: ArchiveHeader;
  readonly records: readonly unknown[];
}

/** The parts of an archive key, see {@link archiveKey}. */
export interface ArchiveKeyParts {
  /** e.g. `failures/` (a trailing slash is added when missing). */
  readonly prefix: string;
  readonly table: string | null;
  /** Chooses the `yyyy/mm/dd` folder (UTC). */
  readonly failedAt: Date;
  /** Shard id, `poison` or `unparseable`. */
  readonly partition: string;
  /** `<startSeq>-<endSeq>`, or the message digest when there is no range. */
  readonly name: string;
  readonly gzip: boolean;
}

/** What {@link parseArchiveKey} reads back from a key. */
export interface ParsedArchiveKey {
  readonly table: string;
  /** `yyyy-mm-dd` */
  readonly day: string;
  readonly partition: string;
  readonly name: string;
  readonly range: SequenceRange | null;
  readonly gzip: boolean;
}

/** The header fields an archive object also carries as S3 user metadata, readable with one HeadObject. */
export interface ArchiveMetadata {
  readonly kind: ArchiveKind;
  readonly reason: string;
  readonly table: string | null;
  readonly records: number;
  readonly digest: string;
  readonly failedAt: string;
  readonly lostCondition: LostRangeCondition | null;
}

/** Outcome of writing an archive object once. */
export interface PutOnceResult {
  /** `written`: a new object; `duplicate`: the same message was archived before (nothing written). */
  readonly outcome: 'written' | 'duplicate';
  /** The key actually used (differs from the requested one only when another message already holds it). */
  readonly key: string;
}

/** One object of an archive listing. */
export interface ArchiveObjectSummary {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date | undefined;
}
