/**
 * The mark every configuration error carries, whatever its class: a handler that throws such an error cannot
 * run until its configuration is fixed, so whoever delivers records to it (the local stream runner) must hold
 * them instead of retrying them away. A registered symbol, so that it is recognised across module copies.
 */
const CONFIGURATION_ERROR = Symbol.for('@ddb-os/sync-config/configuration-error');

/** Marks `error` as a configuration error (see {@link isConfigurationError}) and returns it. */
export function markConfigurationError<E extends Error>(error: E): E {
  Object.defineProperty(error, CONFIGURATION_ERROR, { value: true, enumerable: false });
  return error;
}

/**
 * Whether `error` says that a component's configuration is unusable (thrown by every `load…Config`).
 *
 * @example
 * try { loadSyncTargetConfig({}); } catch (error) { isConfigurationError(error); } // true
 */
export function isConfigurationError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [CONFIGURATION_ERROR]?: unknown })[CONFIGURATION_ERROR] === true;
}

/** Environment variables do not describe a usable configuration; names every bad variable. */
export class InvalidSyncConfigError extends Error {
  constructor(
    public readonly component: string,
    public readonly issues: readonly string[],
  ) {
    super(`Invalid ${component} configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'InvalidSyncConfigError';
    markConfigurationError(this);
  }
}
