/** Base class of every error the indexer raises itself. */
export class IndexerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The function's environment does not describe a usable configuration; the cold start fails. */
export class InvalidIndexerConfigError extends IndexerError {
  constructor(public readonly issues: readonly string[]) {
    super(`Invalid indexer configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

/**
 * Records could not be indexed nor parked in the dead-letter queue and carry no sequence number to
 * report: failing the whole invocation makes Lambda retry the batch, then hand it to the on-failure
 * destination, so nothing is lost.
 */
export class UnreportableFailureError extends IndexerError {
  constructor(public readonly reasons: readonly string[]) {
    super(`Records without a readable SequenceNumber could not be dead-lettered: ${reasons.join('; ')}`);
  }
}
