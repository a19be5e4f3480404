/** Base class of every error this package throws. */
export class FailureArchiveError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An archive object whose content does not follow the archive format. */
export class MalformedArchiveError extends FailureArchiveError {
  constructor(
    public readonly line: number,
    public readonly problem: string,
  ) {
    super(`Malformed archive object at line ${line}: ${problem}`);
  }
}

/** A key part that would make an ambiguous or unreadable S3 key. */
export class InvalidArchiveKeyPartError extends FailureArchiveError {
  constructor(
    public readonly part: string,
    public readonly value: string,
  ) {
    super(`Archive key part "${part}" is not usable in a key: ${JSON.stringify(value)} (empty, or contains "/")`);
  }
}

/** Both the key and its digest-suffixed variant hold other messages' archives: nothing was written. */
export class ArchiveKeyCollisionError extends FailureArchiveError {
  constructor(
    public readonly key: string,
    public readonly digest: string,
  ) {
    super(`Archive key ${key} and its variant for digest ${digest} are both taken by other messages`);
  }
}

/** An object in the archive bucket without the metadata the failure handler writes. */
export class MissingArchiveMetadataError extends FailureArchiveError {
  constructor(
    public readonly key: string,
    public readonly field: string,
  ) {
    super(`Archive object ${key} has no "${field}" metadata: it was not written by the failure handler`);
  }
}
