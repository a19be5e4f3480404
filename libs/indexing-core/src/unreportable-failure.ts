/**
 * Records could not be indexed nor parked in the dead-letter queue and carry no sequence number to
 * report: failing the whole invocation makes Lambda retry the batch, then hand it to the on-failure
 * destination, so nothing is lost.
 */
export class UnreportableFailureError extends Error {
  constructor(public readonly positions: readonly number[]) {
    super(`Records at batch positions ${positions.join(', ')} failed and have no readable SequenceNumber to report; failing the whole batch`);
    this.name = 'UnreportableFailureError';
  }
}
