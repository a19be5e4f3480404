/** Base class of every error the stream runner throws on purpose. */
export class StreamRunnerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Runner or CLI options failed validation; `issues` names each bad option. */
export class InvalidRunnerOptionsError extends StreamRunnerError {
  constructor(public readonly issues: readonly string[]) {
    super(`Invalid stream-runner options:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
  }
}

/** The table exists but has no stream enabled (DescribeTable returned no LatestStreamArn). */
export class StreamNotEnabledError extends StreamRunnerError {
  constructor(public readonly tableName: string) {
    super(`Table "${tableName}" has no DynamoDB stream enabled (no LatestStreamArn)`);
  }
}

/** A `path#export` handler specification could not be parsed or loaded. */
export class HandlerLoadError extends StreamRunnerError {
  constructor(
    public readonly spec: string,
    public readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load handler "${spec}": ${reason}`, options);
  }
}

/** The checkpoint file exists but does not hold a valid checkpoint document. */
export class CheckpointFileError extends StreamRunnerError {
  constructor(
    public readonly filePath: string,
    public readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Checkpoint file "${filePath}" is unusable: ${reason}`, options);
  }
}

/** The runner was asked to start twice. */
export class RunnerAlreadyStartedError extends StreamRunnerError {
  constructor() {
    super('This StreamRunner was already started; create a new one to run again');
  }
}

/** `drained()` gave up: the runner kept processing, or a shard stayed behind or retrying. */
export class RunnerNotDrainedError extends StreamRunnerError {
  constructor(timeoutMs: number, status: unknown) {
    super(`The stream runner did not drain within ${timeoutMs} ms: ${JSON.stringify(status)}`);
  }
}

/** The handler did not settle within the configured function timeout. */
export class HandlerTimeoutError extends StreamRunnerError {
  constructor(public readonly timeoutMs: number) {
    super(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}

/** A record read from the stream cannot be turned into the Lambda event form: the shard holds before it. */
export class UnconvertibleRecordError extends StreamRunnerError {
  constructor(
    public readonly sequenceNumber: string | undefined,
    public readonly afterSequenceNumber: string | undefined,
    public readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Stream record ${sequenceNumber ?? '(no SequenceNumber)'} (after ${afterSequenceNumber ?? 'the shard start'}) cannot be delivered: ${reason}`,
      options,
    );
  }
}
