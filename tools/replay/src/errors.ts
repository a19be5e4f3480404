/** Base class of every error the replay tool throws. */
export class ReplayError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The environment does not configure replay; names every bad variable. */
export class InvalidReplayConfigError extends ReplayError {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid replay configuration: ${problems.join('; ')}`);
  }
}

/** A command-line option with a value replay cannot use. */
export class InvalidReplayOptionError extends ReplayError {
  constructor(
    public readonly option: string,
    public readonly value: string,
    public readonly expected: string,
  ) {
    super(`Option ${option} ${JSON.stringify(value)} is invalid: ${expected}`);
  }
}
