import { defineSyncs, type ResolvedSync, type SyncMode } from '@ddb-os/sync-definition';
import { Duration, Token } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { ARCHIVE_DEFAULTS, LIMITS } from './constants';
import { InvalidPropError } from './errors';
import { requireOtherStreamReaders } from './stream-readers';
import { requireBundleRuntime } from './sync-functions';
import type { ArchiveLifecycle, DynamoDbToOpenSearchProps, ResolvedArchiveLifecycle } from './types';

interface Range {
  readonly min: number;
  readonly max: number;
}

/** Throws unless `value` (when given and resolved) is an integer within `range`. */
export function requireIntegerInRange(prop: string, value: number | undefined, range: Range): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new InvalidPropError(prop, `must be an integer from ${range.min} to ${range.max}, got ${value}`);
  }
}

/** Throws unless `value` (when given and resolved) is a whole number of seconds within `range`. */
export function requireSecondsInRange(prop: string, value: Duration | undefined, range: Range): void {
  if (value === undefined || value.isUnresolved()) return;
  const millis = value.toMilliseconds();
  if (millis % 1000 !== 0) {
    throw new InvalidPropError(prop, `must be a whole number of seconds, got ${value.toHumanString()}`);
  }
  const seconds = millis / 1000;
  if (seconds < range.min || seconds > range.max) {
    throw new InvalidPropError(prop, `must be from ${range.min} to ${range.max} seconds, got ${seconds} seconds`);
  }
}

/**
 * The sync to deploy, validated again by `defineSyncs` (the validator the Lambdas run at cold start): a `ResolvedSync`
 * assembled by hand, or one whose definition was changed after validation, cannot skip it. Throws the
 * validator's own `InvalidSyncDefinitionError`, with its message unchanged.
 */
export function validatedSync(sync: ResolvedSync | undefined): ResolvedSync {
  if (sync === undefined || typeof sync !== 'object' || sync.definition === undefined) {
    throw new InvalidPropError('sync', 'is required: a sync of the definition, e.g. syncs.named("orders") of defineSyncs(...)');
  }
  return defineSyncs({ syncs: [sync.definition] }).named(sync.definition.name);
}

/** Validates every prop that does not need the construct tree (sources are checked where they are resolved). */
export function validateProps(props: DynamoDbToOpenSearchProps, mode: SyncMode): void {
  validateModeProps(props, mode);
  validateStreamSettings(props);
  validateFunctionSettings(props);
  validateAlarmSettings(props);
  validateServiceName(props.serviceName);
}

const BUFFERED_ONLY_PROPS = [
  'streamReaderCodePath',
  'writerCodePath',
  'bufferBatchSize',
  'bufferMaxReceiveCount',
  'bufferAgeAlarmThreshold',
] as const;

function validateModeProps(props: DynamoDbToOpenSearchProps, mode: SyncMode): void {
  if (mode !== 'buffered') {
    const misplaced = BUFFERED_ONLY_PROPS.find((prop) => props[prop] !== undefined);
    if (misplaced)
      throw new InvalidPropError(misplaced, "applies to mode 'buffered' only; set mode: 'buffered' in the sync definition or remove it");
    return;
  }
  requireIntegerInRange('bufferBatchSize', props.bufferBatchSize, LIMITS.bufferBatchSize);
  requireIntegerInRange('bufferMaxReceiveCount', props.bufferMaxReceiveCount, LIMITS.bufferMaxReceiveCount);
  requireSecondsInRange('bufferAgeAlarmThreshold', props.bufferAgeAlarmThreshold, LIMITS.queueAgeAlarmSeconds);
}

function validateStreamSettings(props: DynamoDbToOpenSearchProps): void {
  if (
    props.startingPosition !== undefined &&
    props.startingPosition !== StartingPosition.TRIM_HORIZON &&
    props.startingPosition !== StartingPosition.LATEST
  ) {
    throw new InvalidPropError(
      'startingPosition',
      `must be TRIM_HORIZON or LATEST for a DynamoDB stream, got ${String(props.startingPosition)}`,
    );
  }
  if (props.filters !== undefined && (!Array.isArray(props.filters) || props.filters.length === 0)) {
    throw new InvalidPropError('filters', 'must be a non-empty list of lambda.FilterCriteria.filter(...) patterns, or left out');
  }
  requireOtherStreamReaders(props.otherStreamReaders);
}

function validateFunctionSettings(props: DynamoDbToOpenSearchProps): void {
  requireIntegerInRange('memorySize', props.memorySize, LIMITS.memorySize);
  requireSecondsInRange('timeout', props.timeout, LIMITS.timeoutSeconds);
  requireIntegerInRange('reservedConcurrentExecutions', props.reservedConcurrentExecutions, LIMITS.reservedConcurrency);
  requireIntegerInRange('failureHandlerMemorySize', props.failureHandlerMemorySize, LIMITS.memorySize);
  requireSecondsInRange('failureHandlerTimeout', props.failureHandlerTimeout, LIMITS.timeoutSeconds);
  requireBundleRuntime(props.runtime);
}

function validateAlarmSettings(props: DynamoDbToOpenSearchProps): void {
  requireSecondsInRange('iteratorAgeAlarmThreshold', props.iteratorAgeAlarmThreshold, LIMITS.iteratorAgeAlarmSeconds);
  requireSecondsInRange('queueAgeAlarmThreshold', props.queueAgeAlarmThreshold, LIMITS.queueAgeAlarmSeconds);
}

function validateServiceName(name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new InvalidPropError('serviceName', `must be 1-64 letters, digits, '-' or '_', got ${JSON.stringify(name)}`);
  }
}

/**
 * The lifecycle with its defaults, expiring after the definition's `failures.archiveExpiryDays`; throws unless the
 * steps come in order.
 */
export function resolveArchiveLifecycle(lifecycle: ArchiveLifecycle | undefined, expiryDays: number | undefined): ResolvedArchiveLifecycle {
  const resolved = {
    infrequentAccessAfter: lifecycle?.infrequentAccessAfter ?? ARCHIVE_DEFAULTS.infrequentAccessAfter,
    glacierAfter: lifecycle?.glacierAfter ?? ARCHIVE_DEFAULTS.glacierAfter,
    expireAfter: expiryDays === undefined ? ARCHIVE_DEFAULTS.expireAfter : Duration.days(expiryDays),
  };
  validateArchiveLifecycle(resolved);
  return resolved;
}

function validateArchiveLifecycle({ infrequentAccessAfter, glacierAfter, expireAfter }: ResolvedArchiveLifecycle): void {
  const days = (value: Duration, prop: string): number => wholeDays(`archiveLifecycle.${prop}`, value);
  const ia = days(infrequentAccessAfter, 'infrequentAccessAfter');
  const glacier = days(glacierAfter, 'glacierAfter');
  const expire = expireAfter.toDays();
  if (ia < LIMITS.infrequentAccessMinDays) {
    throw new InvalidPropError(
      'archiveLifecycle.infrequentAccessAfter',
      `must be at least ${LIMITS.infrequentAccessMinDays} days, got ${ia}`,
    );
  }
  if (glacier <= ia) {
    throw new InvalidPropError('archiveLifecycle.glacierAfter', `must be later than infrequentAccessAfter (${ia} days), got ${glacier}`);
  }
  if (expire <= glacier) {
    throw new InvalidPropError(
      'archiveLifecycle.glacierAfter',
      `must be earlier than the definition's failures.archiveExpiryDays (${expire} days), got ${glacier}`,
    );
  }
}

function wholeDays(prop: string, value: Duration): number {
  if (value.isUnresolved()) throw new InvalidPropError(prop, 'must be a literal duration');
  const days = value.toHours({ integral: false }) / 24;
  if (!Number.isInteger(days)) throw new InvalidPropError(prop, `must be a whole number of days, got ${value.toHumanString()}`);
  return days;
}

/** Deploy-time values (ARNs, URLs, endpoints) are unknown at synth; each is counted at a generous 256 bytes. */
const UNRESOLVED_VALUE_ESTIMATE_BYTES = 256;

/** Throws when the environment would exceed Lambda's 4 KB limit, naming the prop that fills it. */
export function requireEnvironmentFits(prop: string, environment: Record<string, string>): void {
  const estimatedBytes = Object.entries(environment).reduce(
    (total, [key, value]) =>
      total + Buffer.byteLength(key) + (Token.isUnresolved(value) ? UNRESOLVED_VALUE_ESTIMATE_BYTES : Buffer.byteLength(value)),
    0,
  );
  if (estimatedBytes > LIMITS.environmentBytes) {
    throw new InvalidPropError(
      prop,
      `makes the indexer environment about ${estimatedBytes} bytes; Lambda allows ${LIMITS.environmentBytes}`,
    );
  }
}

/** True when a resolved `value` is longer than `limit`. */
export function exceeds(value: Duration, limit: Duration): boolean {
  return !value.isUnresolved() && value.toSeconds() > limit.toSeconds();
}
