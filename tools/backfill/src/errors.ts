/** Base class of every error thrown by the backfill and verify tools. */
export class BackfillError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BackfillError';
  }
}

/** Command-line or API options are invalid; `problems` names each bad option. */
export class InvalidOptionsError extends BackfillError {
  constructor(
    /** The command whose options are invalid (`backfill`, `verify`, …). */
    public readonly command: string,
    /** One entry per problem: `--option: what is wrong`. */
    public readonly problems: readonly string[],
  ) {
    super(`Invalid ${command} options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidOptionsError';
  }
}

/** A fresh run would overwrite the checkpoint of an earlier, unfinished run. */
export class CheckpointExistsError extends BackfillError {
  constructor(public readonly file: string) {
    super(`Checkpoint file ${file} already exists: pass --resume to continue that run, or --restart to discard it and start over`);
    this.name = 'CheckpointExistsError';
  }
}

/** `--resume` was asked for but there is nothing to resume. */
export class CheckpointNotFoundError extends BackfillError {
  constructor(public readonly file: string) {
    super(`Cannot resume: checkpoint file ${file} does not exist (run without --resume to start a new backfill)`);
    this.name = 'CheckpointNotFoundError';
  }
}

/** The checkpoint belongs to another source or segmentation than the run resuming it. */
export class CheckpointMismatchError extends BackfillError {
  constructor(
    public readonly file: string,
    public readonly field: string,
    public readonly stored: string,
    public readonly requested: string,
  ) {
    super(`Cannot resume from ${file}: its ${field} is ${stored}, this run asks for ${requested} (use the same options, or --restart)`);
    this.name = 'CheckpointMismatchError';
  }
}

/** The checkpoint file cannot be read as a checkpoint. */
export class CorruptCheckpointError extends BackfillError {
  constructor(
    public readonly file: string,
    public readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Checkpoint file ${file} is not a valid backfill checkpoint: ${reason}`, options);
    this.name = 'CorruptCheckpointError';
  }
}

/** Some writes of a page were still retryable after every attempt; the page stays uncheckpointed. */
export class WritesNotAppliedError extends BackfillError {
  constructor(
    public readonly segment: string,
    public readonly documents: number,
    public readonly attempts: number,
    public readonly sampleReason: string,
  ) {
    super(
      `Segment ${segment}: ${documents} document(s) could not be written after ${attempts} attempts (${sampleReason}); ` +
        'the page was not checkpointed: fix the cluster and run again with --resume',
    );
    this.name = 'WritesNotAppliedError';
  }
}

/** `--export` does not name a usable DynamoDB export. */
export class InvalidExportError extends BackfillError {
  constructor(
    public readonly location: string,
    public readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot read the DynamoDB export at ${location}: ${reason}`, options);
    this.name = 'InvalidExportError';
  }
}

/** A failures file (from `--failures-file`) has a line that is not a failure record. */
export class InvalidFailuresFileError extends BackfillError {
  constructor(
    public readonly file: string,
    public readonly line: number,
    public readonly reason: string,
  ) {
    super(`${file}:${line} is not a failure record: ${reason}`);
    this.name = 'InvalidFailuresFileError';
  }
}

/** A verify run was interrupted (Ctrl-C) before it compared everything: it cannot conclude. */
export class VerifyInterruptedError extends BackfillError {
  constructor() {
    super('verify was interrupted before it compared everything: no conclusion (run it again)');
    this.name = 'VerifyInterruptedError';
  }
}
