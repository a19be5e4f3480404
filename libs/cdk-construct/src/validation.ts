import { InvalidIndexRoutesError, validateIndexRoutes as validateRuntimeIndexRoutes } from '@ddb-os/opensearch-mapping';
import { Duration, Token } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { ARCHIVE_DEFAULTS, LIMITS } from './constants';
import { InvalidPropError } from './errors';
import { requireOtherStreamReaders } from './stream-readers';
import { requireBundleRuntime } from './sync-functions';
import type { ArchiveLifecycle, DynamoDbToOpenSearchProps, IndexRoute } from './types';

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

/** Validates every prop that does not need the construct tree (sources are checked where they are resolved). */
export function validateProps(props: DynamoDbToOpenSearchProps): void {
  validateMode(props);
  validateStreamSettings(props);
  validateFunctionSettings(props);
  validateAlarmSettings(props);
  validateIndexRoutes(props.indexRoutes);
  validateKeyAttributes(props.keyAttributes);
  validateOptionalName('versionAttribute', props.versionAttribute);
  validateSyncName(props.syncName);
  validateArchiveLifecycle(props.archiveLifecycle);
}

const BUFFERED_ONLY_PROPS = [
  'streamReaderCodePath',
  'writerCodePath',
  'bufferBatchSize',
  'bufferMaxReceiveCount',
  'bufferAgeAlarmThreshold',
] as const;

function validateMode(props: DynamoDbToOpenSearchProps): void {
  const mode: string | undefined = props.mode;
  if (mode !== undefined && mode !== 'direct' && mode !== 'buffered') {
    throw new InvalidPropError('mode', `must be 'direct' or 'buffered', got ${JSON.stringify(mode)}`);
  }
  if (mode !== 'buffered') {
    const misplaced = BUFFERED_ONLY_PROPS.find((prop) => props[prop] !== undefined);
    if (misplaced) throw new InvalidPropError(misplaced, "applies to mode 'buffered' only; set mode: 'buffered' or remove it");
    return;
  }
  requireIntegerInRange('bufferBatchSize', props.bufferBatchSize, LIMITS.bufferBatchSize);
  requireIntegerInRange('bufferMaxReceiveCount', props.bufferMaxReceiveCount, LIMITS.bufferMaxReceiveCount);
  requireSecondsInRange('bufferAgeAlarmThreshold', props.bufferAgeAlarmThreshold, LIMITS.queueAgeAlarmSeconds);
}

function validateStreamSettings(props: DynamoDbToOpenSearchProps): void {
  const destination: string | undefined = props.onFailureDestination;
  if (destination !== undefined && destination !== 'sqs' && destination !== 's3') {
    throw new InvalidPropError('onFailureDestination', `must be 'sqs' or 's3', got ${JSON.stringify(destination)}`);
  }
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
  requireIntegerInRange('batchSize', props.batchSize, LIMITS.batchSize);
  requireSecondsInRange('maxBatchingWindow', props.maxBatchingWindow, LIMITS.maxBatchingWindowSeconds);
  requireIntegerInRange('parallelizationFactor', props.parallelizationFactor, LIMITS.parallelizationFactor);
  requireIntegerInRange('retryAttempts', props.retryAttempts, LIMITS.retryAttempts);
  requireSecondsInRange('maxRecordAge', props.maxRecordAge, LIMITS.maxRecordAgeSeconds);
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

/**
 * Routes are checked by the indexer's own validator (`@ddb-os/opensearch-mapping`), on the JSON the indexer will
 * read from `INDEX_ROUTES`: a route set the indexer would refuse at cold start is refused here, with its message.
 */
export function validateIndexRoutes(routes: readonly IndexRoute[] | undefined): void {
  const json = JSON.stringify(routes ?? null);
  if (Token.isUnresolved(json)) {
    throw new InvalidPropError(
      'indexRoutes',
      'must hold literal values only: the indexer reads them as JSON, deploy-time tokens cannot be resolved there',
    );
  }
  try {
    validateRuntimeIndexRoutes(JSON.parse(json));
  } catch (error) {
    if (!(error instanceof InvalidIndexRoutesError)) throw error;
    throw new InvalidPropError('indexRoutes', error.message, { cause: error });
  }
}

function validateKeyAttributes(keys: readonly string[] | undefined): void {
  if (keys === undefined) return;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > 2) {
    throw new InvalidPropError('keyAttributes', 'must list the partition key and, if any, the sort key (1 or 2 names)');
  }
  keys.forEach((key, position) => {
    validateOptionalName(`keyAttributes[${position}]`, key);
    // Passed comma-separated in KEY_ATTRIBUTES.
    if (key.includes(',')) throw new InvalidPropError(`keyAttributes[${position}]`, `must not contain ',', got ${JSON.stringify(key)}`);
  });
  if (new Set(keys).size !== keys.length) {
    throw new InvalidPropError('keyAttributes', `must not repeat a name, got ${JSON.stringify(keys)}`);
  }
}

function validateOptionalName(prop: string, name: string | undefined): void {
  if (name === undefined) return;
  if (typeof name !== 'string' || Token.isUnresolved(name) || name.length === 0 || name.length > 255) {
    throw new InvalidPropError(prop, `must be a literal attribute name of 1-255 characters, got ${JSON.stringify(name)}`);
  }
}

function validateSyncName(name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new InvalidPropError('syncName', `must be 1-64 letters, digits, '-' or '_', got ${JSON.stringify(name)}`);
  }
}

/** Resolves the lifecycle with defaults and checks that the steps come in order. */
export function resolveArchiveLifecycle(lifecycle: ArchiveLifecycle | undefined): Required<ArchiveLifecycle> {
  return {
    infrequentAccessAfter: lifecycle?.infrequentAccessAfter ?? ARCHIVE_DEFAULTS.infrequentAccessAfter,
    glacierAfter: lifecycle?.glacierAfter ?? ARCHIVE_DEFAULTS.glacierAfter,
    expireAfter: lifecycle?.expireAfter ?? ARCHIVE_DEFAULTS.expireAfter,
  };
}

function validateArchiveLifecycle(lifecycle: ArchiveLifecycle | undefined): void {
  const { infrequentAccessAfter, glacierAfter, expireAfter } = resolveArchiveLifecycle(lifecycle);
  const days = (value: Duration, prop: string): number => wholeDays(`archiveLifecycle.${prop}`, value);
  const ia = days(infrequentAccessAfter, 'infrequentAccessAfter');
  const glacier = days(glacierAfter, 'glacierAfter');
  const expire = days(expireAfter, 'expireAfter');
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
    throw new InvalidPropError('archiveLifecycle.expireAfter', `must be later than glacierAfter (${glacier} days), got ${expire}`);
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
