/** Base class of the errors of `@ddb-os/testing`. */
export class TestingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `waitFor` ran out of time; `lastError` is the last failure of the awaited function, if any. */
export class WaitForTimeoutError extends TestingError {
  constructor(
    readonly description: string,
    readonly timeoutMs: number,
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(
      `Timed out after ${timeoutMs} ms (${attempts} attempts) waiting for ${description}` +
        (lastError === undefined ? '; the last attempt returned false.' : `; last error: ${describeError(lastError)}`),
      { cause: lastError },
    );
  }
}

/** A bad option value (negative timeout, ...). */
export class InvalidOptionError extends TestingError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid ${option}: ${JSON.stringify(value)}; expected ${expected}.`);
  }
}

/** `uniqueName` got a prefix that cannot start a table/index/queue/bucket name. */
export class InvalidNamePrefixError extends TestingError {
  constructor(
    readonly prefix: string,
    readonly reason: string,
  ) {
    super(`uniqueName prefix ${JSON.stringify(prefix)} is not usable: ${reason}.`);
  }
}

/** The table was created but DynamoDB reported no stream for it. */
export class StreamNotEnabledError extends TestingError {
  constructor(readonly tableName: string) {
    super(`Table ${tableName} has no LatestStreamArn although it was created with a NEW_AND_OLD_IMAGES stream.`);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
