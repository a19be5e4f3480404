/** Environment variables do not describe a usable configuration; names every bad variable. */
export class InvalidSyncConfigError extends Error {
  constructor(
    public readonly component: string,
    public readonly issues: readonly string[],
  ) {
    super(`Invalid ${component} configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'InvalidSyncConfigError';
  }
}
