/** Base class of every error the bench tool throws. */
export class BenchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A command-line option with a value the bench cannot use. */
export class InvalidBenchOptionError extends BenchError {
  constructor(
    public readonly option: string,
    public readonly value: unknown,
    public readonly expected: string,
  ) {
    super(`Option ${option} ${JSON.stringify(value)} is invalid: expected ${expected}`);
  }
}

/** A statistic was asked of an empty sample. */
export class EmptySampleError extends BenchError {
  constructor(public readonly statistic: string) {
    super(`Cannot compute ${statistic} of an empty sample`);
  }
}

/** A handler returned a partial or failed batch during a throughput run, so its timing would not be comparable. */
export class BatchNotIndexedError extends BenchError {
  constructor(
    public readonly batch: number,
    public readonly detail: string,
  ) {
    super(`Batch ${batch} was not fully indexed (${detail}); a throughput run must index every record`);
  }
}

/** Something the bench waits for did not happen in time. */
export class BenchTimeoutError extends BenchError {
  constructor(
    public readonly what: string,
    public readonly timeoutMs: number,
  ) {
    super(`Timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

/** A child process (replay, backfill) ended with an unexpected exit code. */
export class ChildProcessFailedError extends BenchError {
  constructor(
    public readonly command: string,
    public readonly exitCode: number | null,
    public readonly stderrTail: string,
  ) {
    super(`${command} exited with ${exitCode ?? 'a signal'}: ${stderrTail}`);
  }
}

/** The chaos run did not converge: documents differ from the table, or replay left items failed. */
export class ConvergenceFailedError extends BenchError {
  constructor(
    public readonly lost: number,
    public readonly stale: number,
    public readonly resurrected: number,
    public readonly replayFailed: number,
  ) {
    super(
      `The chaos run did not converge: lost ${lost}, stale ${stale}, resurrected ${resurrected}, items replay could not write ${replayFailed}`,
    );
  }
}

/** An object of the run's failure archive that cannot be read or decoded. */
export class ArchiveObjectUnreadableError extends BenchError {
  constructor(
    public readonly key: string,
    cause: unknown,
  ) {
    super(`Archive object ${key} cannot be read: ${(cause as Error).message}`, { cause });
  }
}
