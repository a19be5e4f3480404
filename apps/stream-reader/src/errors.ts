/** Base class of the stream reader's errors. */
export class StreamReaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The function's environment does not describe a usable buffer; the cold start fails. */
export class InvalidStreamReaderConfigError extends StreamReaderError {
  constructor(public readonly issues: readonly string[]) {
    super(`Invalid stream-reader configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

/**
 * Records could be neither published nor dead-lettered and carry no sequence number to report:
 * failing the whole invocation makes Lambda retry the batch, so nothing is lost.
 */
export class UnreportablePublishFailureError extends StreamReaderError {
  constructor(public readonly positions: readonly number[]) {
    super(
      `Records at batch positions ${positions.join(', ')} were not published and have no readable SequenceNumber to report; failing the whole batch`,
    );
  }
}
