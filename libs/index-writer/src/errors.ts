/** Base class of every error thrown by `@ddb-os/index-writer`. */
export class IndexWriterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IndexWriterError';
  }
}

/** A configuration or options object is invalid; `problems` names each bad field. */
export class InvalidIndexWriterConfigError extends IndexWriterError {
  constructor(
    /** What was being validated, e.g. `OpenSearch client config`. */
    public readonly subject: string,
    /** One entry per problem: `field.path: what is wrong`. */
    public readonly problems: readonly string[],
  ) {
    super(`Invalid ${subject}: ${problems.join('; ')}`);
    this.name = 'InvalidIndexWriterConfigError';
  }
}

/** Creating the physical index and its aliases failed (other than losing a race to a concurrent creator). */
export class IndexCreationError extends IndexWriterError {
  constructor(
    public readonly index: string,
    public readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot create index "${index}": ${reason}`, options);
    this.name = 'IndexCreationError';
  }
}

/** A tombstone purge was asked for tombstones younger than the window in which they still protect against resurrection. */
export class UnsafeTombstonePurgeError extends IndexWriterError {
  constructor(
    public readonly olderThanMs: number,
    public readonly minimumMs: number,
  ) {
    super(
      `Refusing to purge tombstones younger than ${minimumMs} ms (asked: ${olderThanMs} ms): an older write could resurrect a deleted item. ` +
        'Pass allowYoungTombstones: true only in tests.',
    );
    this.name = 'UnsafeTombstonePurgeError';
  }
}

/** A tombstone could not be deleted for a reason other than a concurrent overwrite. */
export class TombstonePurgeError extends IndexWriterError {
  constructor(
    public readonly index: string,
    public readonly reason: string,
  ) {
    super(`Cannot purge tombstones of "${index}": ${reason}`);
    this.name = 'TombstonePurgeError';
  }
}
