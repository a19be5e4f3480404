import { OpenSearchMappingError } from '@ddb-os/opensearch-mapping';
import { InvalidIndexWriterConfigError } from '@ddb-os/index-writer';

/** The function's environment does not describe a usable indexing configuration; the cold start fails. */
export class InvalidIndexingConfigError extends Error {
  constructor(public readonly issues: readonly string[]) {
    super(`Invalid indexer configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'InvalidIndexingConfigError';
  }
}

/**
 * A stream record's `Keys` name other attributes than the sync's key attributes (declared by its definition, or
 * read from `TABLE_NAME` with DescribeTable): its document id would merge distinct items (or miss a key), so the
 * record is refused (dead-lettered) instead.
 */
export class KeyAttributesMismatchError extends Error {
  constructor(
    /** Attribute names of the record's `Keys`, as the table defines its key. */
    public readonly recordKeys: readonly string[],
    /** The sync's key attributes (declared, or read from its table). */
    public readonly keyAttributes: readonly string[],
  ) {
    super(
      `stream record Keys has ${recordKeys.join(', ')} but the sync's key attributes are ${keyAttributes.join(', ')}: ` +
        `the table's key is ${suggestedKeyAttributes(recordKeys, keyAttributes).join(', ')} (partition key first); ` +
        `declare it in the sync definition (table.create), or set TABLE_NAME to the table of this stream`,
    );
    this.name = 'KeyAttributesMismatchError';
  }
}

/** The configured names the record has, in their configured order, then the record's other key names. */
function suggestedKeyAttributes(recordKeys: readonly string[], keyAttributes: readonly string[]): string[] {
  const kept = keyAttributes.filter((name) => recordKeys.includes(name));
  return [...kept, ...recordKeys.filter((name) => !kept.includes(name))];
}

/**
 * A defect in our own code (a `TypeError`, an invalid order key, a duplicate write…) surfaced while
 * indexing. It fails the invocation instead of being reported as "retryable", which would loop
 * silently: Lambda retries the batch, bisects it, and finally hands it to the on-failure destination.
 */
export class IndexingDefectError extends Error {
  constructor(
    /** What was being done, e.g. `writing index "products"`. */
    public readonly during: string,
    cause: unknown,
  ) {
    super(`defect in the indexer while ${during}: ${describeError(cause)}; failing the invocation instead of retrying it silently`, {
      cause,
    });
    this.name = 'IndexingDefectError';
  }
}

/**
 * Whether `error` is a programming mistake rather than a transient I/O failure: the JavaScript
 * errors raised by wrong code, and the pure libraries' errors (their inputs are ours to get right).
 * Anything else thrown by an I/O port (client errors, connection failures, index creation) is transient.
 */
export function isDefect(error: unknown): boolean {
  return isProgrammingError(error) || error instanceof OpenSearchMappingError || error instanceof InvalidIndexWriterConfigError;
}

/**
 * Records could not be indexed nor parked in the dead-letter queue and carry no sequence number to
 * report: failing the whole invocation makes Lambda retry the batch, then hand it to the on-failure
 * destination, so nothing is lost.
 */
export class UnreportableFailureError extends Error {
  constructor(public readonly positions: readonly number[]) {
    super(
      `Records at batch positions ${positions.join(', ')} failed and have no readable SequenceNumber to report; failing the whole batch`,
    );
    this.name = 'UnreportableFailureError';
  }
}

/** `TypeError`, `RangeError`, `ReferenceError`, `SyntaxError`, `EvalError`, `URIError`. */
export function isProgrammingError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    error instanceof EvalError ||
    error instanceof URIError
  );
}

/** `Name: message` of an error (SDK errors carry their code in `name`, e.g. `QueueDoesNotExist`). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
