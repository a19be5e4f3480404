import { isConfigurationError } from '@ddb-os/sync-config';
import { compareSequenceNumbers } from '@ddb-os/stream-decoding';
import type { InvocationOutcome } from './types';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const failure = (reason: string): InvocationOutcome => ({ kind: 'failure', reason, functionError: undefined });

/**
 * Reads a handler's return value the way Lambda does with `ReportBatchItemFailures`:
 * no response or an empty/null `batchItemFailures` is success; an empty, null or unknown
 * `itemIdentifier` fails the whole batch; otherwise the batch failed from the lowest
 * reported sequence number on.
 * @example interpretHandlerResult({ batchItemFailures: [{ itemIdentifier: '2' }] }, ['1', '2', '3']) // { kind: 'partial', failedIndex: 1, itemIdentifier: '2' }
 */
export function interpretHandlerResult(result: unknown, batchSequenceNumbers: readonly string[]): InvocationOutcome {
  if (!isObject(result)) return { kind: 'success' };
  const failures = result['batchItemFailures'];
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return failure('batchItemFailures is not a list');
  if (failures.length === 0) return { kind: 'success' };
  const identifiers: string[] = [];
  for (const item of failures) {
    const identifier = isObject(item) ? item['itemIdentifier'] : undefined;
    if (typeof identifier !== 'string' || identifier === '') {
      return failure(`batchItemFailures holds an empty or missing itemIdentifier (${JSON.stringify(item) ?? String(item)})`);
    }
    if (!batchSequenceNumbers.includes(identifier)) {
      return failure(`batchItemFailures names "${identifier}", which is not a sequence number of this batch`);
    }
    identifiers.push(identifier);
  }
  const lowest = identifiers.reduce((low, next) => (compareSequenceNumbers(next, low) < 0 ? next : low));
  return { kind: 'partial', failedIndex: batchSequenceNumbers.indexOf(lowest), itemIdentifier: lowest };
}

/** Turns a thrown value into a failure outcome, marked as an unhandled function error (and as a configuration error when it is one). */
export function thrownOutcome(error: unknown): InvocationOutcome {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : `thrown non-error value: ${String(error)}`;
  return { kind: 'failure', reason, functionError: 'Unhandled', ...(isConfigurationError(error) ? { configurationError: true } : {}) };
}
