/** The function's environment does not describe a usable indexing configuration; the cold start fails. */
export class InvalidIndexingConfigError extends Error {
  constructor(public readonly issues: readonly string[]) {
    super(`Invalid indexer configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'InvalidIndexingConfigError';
  }
}
