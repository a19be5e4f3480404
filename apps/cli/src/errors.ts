/** Base class of the errors of the `ddb-os` CLI itself (the commands' own errors come from their tools). */
export class CliError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A global flag or a command's flag is invalid; `problems` names each (`--flag: what is wrong`). */
export class InvalidCliOptionsError extends CliError {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidCliOptionsError';
  }
}

/** The `--definition` module cannot be loaded or exports no syncs. */
export class DefinitionLoadError extends CliError {
  constructor(
    public readonly modulePath: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`--definition ${modulePath}: ${reason}`, options);
    this.name = 'DefinitionLoadError';
  }
}
