/** Version of the archive object layout; bumped on any incompatible change to the header or lines. */
export const ARCHIVE_FORMAT_VERSION = 1;

/** Default prefix of archived failures; replay moves handled objects to {@link DEFAULT_REPLAYED_PREFIX}. */
export const DEFAULT_ARCHIVE_PREFIX = 'failures/';
export const DEFAULT_REPLAYED_PREFIX = 'replayed/';

/** Key partition for dead-lettered poison records (there is no shard id in a DLQ message). */
export const POISON_PARTITION = 'poison';
/** Key partition for messages that were neither an on-failure record nor a poison record. */
export const UNPARSEABLE_PARTITION = 'unparseable';
/** Table segment of a key when the table cannot be known (an unparseable message without TABLE_NAME). */
export const UNKNOWN_TABLE = '_unknown';

export const NDJSON_EXTENSION = '.ndjson';
export const GZIP_EXTENSION = '.gz';
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';
export const GZIP_CONTENT_TYPE = 'application/gzip';

/** S3 user-metadata names (sent as `x-amz-meta-<name>`), so `replay list` needs no download. */
export const METADATA = {
  kind: 'kind',
  reason: 'reason',
  table: 'table',
  records: 'records',
  digest: 'digest',
  failedAt: 'failed-at',
  lostCondition: 'lost-condition',
} as const;

/** S3 caps user metadata at 2 KB in total; a reason longer than this is cut (the header keeps it whole). */
export const MAX_METADATA_REASON_CHARS = 256;
