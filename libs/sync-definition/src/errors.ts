import { markConfigurationError } from '@ddb-os/sync-config';

/** The sync definition cannot work; lists every problem, each with its path (`syncs[1] "orders".routes[0].index: …`). */
export class InvalidSyncDefinitionError extends Error {
  constructor(public readonly issues: readonly string[]) {
    super(`Invalid sync definition:\n  - ${issues.join('\n  - ')}`);
    this.name = 'InvalidSyncDefinitionError';
    markConfigurationError(this);
  }
}

/** An item cannot become its document (it does not fit the route's schema, or a computed field failed): poison. */
export class DocumentShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentShapeError';
  }
}
