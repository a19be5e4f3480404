import { bisect, decideAfterFailure, expiredPrefixLength, retryDelayMs, type FailurePolicy } from '../../src/failure-policy';
import type { InvocationOutcome } from '../../src/types';
import { streamRecord } from '../helpers/factories';

const policy: FailurePolicy = { maxRetryAttempts: 2, bisectBatchOnError: false, retryBaseDelayMs: 100, retryMaxDelayMs: 1000 };
const thrown: Exclude<InvocationOutcome, { kind: 'success' }> = { kind: 'failure', reason: 'Error: boom', functionError: 'Unhandled' };
const partial: Exclude<InvocationOutcome, { kind: 'success' }> = { kind: 'partial', failedIndex: 1, itemIdentifier: '2' };

describe('decideAfterFailure', () => {
  it('retries with exponential backoff until maxRetryAttempts retries were made', () => {
    // when
    const afterFirst = decideAfterFailure(thrown, { size: 3, invokeCount: 1 }, policy);
    const afterSecond = decideAfterFailure(thrown, { size: 3, invokeCount: 2 }, policy);
    const afterThird = decideAfterFailure(thrown, { size: 3, invokeCount: 3 }, policy);
    // then
    expect(afterFirst).toEqual({ action: 'retry', delayMs: 100, retryNumber: 1 });
    expect(afterSecond).toEqual({ action: 'retry', delayMs: 200, retryNumber: 2 });
    expect(afterThird).toEqual({ action: 'give-up', condition: 'RetryAttemptsExhausted' });
  });

  it('gives up at once with maxRetryAttempts 0', () => {
    // when
    const step = decideAfterFailure(thrown, { size: 1, invokeCount: 1 }, { ...policy, maxRetryAttempts: 0 });
    // then
    expect(step).toEqual({ action: 'give-up', condition: 'RetryAttemptsExhausted' });
  });

  it('never gives up with maxRetryAttempts -1', () => {
    // when
    const step = decideAfterFailure(thrown, { size: 1, invokeCount: 10_000 }, { ...policy, maxRetryAttempts: -1 });
    // then
    expect(step.action).toBe('retry');
  });

  it('holds a batch whose handler threw a configuration error: never bisected nor given up, and holds use up no retries', () => {
    // given
    const configuration: Exclude<InvocationOutcome, { kind: 'success' }> = { ...thrown, configurationError: true };
    // when
    const held = decideAfterFailure(
      configuration,
      { size: 4, invokeCount: 50, holds: 49 },
      { ...policy, bisectBatchOnError: true, maxRetryAttempts: 0 },
    );
    const first = decideAfterFailure(configuration, { size: 1, invokeCount: 1 }, policy);
    const afterHolds = decideAfterFailure(thrown, { size: 1, invokeCount: 3, holds: 2 }, policy);
    // then
    expect(held).toEqual({ action: 'hold', delayMs: 1000, holdNumber: 50 });
    expect(first).toEqual({ action: 'hold', delayMs: 100, holdNumber: 1 });
    expect(afterHolds).toEqual({ action: 'retry', delayMs: 100, retryNumber: 1 });
  });

  it('bisects a failing batch of several records without consuming a retry', () => {
    // when
    const step = decideAfterFailure(thrown, { size: 2, invokeCount: 5 }, { ...policy, bisectBatchOnError: true });
    // then
    expect(step).toEqual({ action: 'bisect' });
  });

  it('retries a single failing record instead of bisecting it', () => {
    // when
    const step = decideAfterFailure(thrown, { size: 1, invokeCount: 1 }, { ...policy, bisectBatchOnError: true });
    // then
    expect(step.action).toBe('retry');
  });

  it('retries the remainder of a partial failure even when bisecting is on (Lambda splits at the reported record)', () => {
    // when
    const step = decideAfterFailure(partial, { size: 4, invokeCount: 1 }, { ...policy, bisectBatchOnError: true });
    // then
    expect(step.action).toBe('retry');
  });
});

describe('retryDelayMs', () => {
  it('caps the delay', () => {
    // when
    const delay = retryDelayMs(20, { retryBaseDelayMs: 100, retryMaxDelayMs: 1000 });
    // then
    expect(delay).toBe(1000);
  });
});

describe('bisect', () => {
  it('splits in two halves, the first taking the odd record', () => {
    // when
    const halves = bisect([1, 2, 3, 4, 5]);
    // then
    expect(halves).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });
});

describe('expiredPrefixLength', () => {
  const now = Date.parse('2026-01-01T01:00:00.000Z');
  const records = [
    streamRecord(1, { createdAt: new Date(now - 120_000) }),
    streamRecord(2, { createdAt: new Date(now - 61_000) }),
    streamRecord(3, { createdAt: new Date(now - 30_000) }),
  ];

  it('counts the leading records older than the maximum age', () => {
    // when
    const expired = expiredPrefixLength(records, now, 60);
    // then
    expect(expired).toBe(2);
  });

  it('expires nothing with -1', () => {
    // when
    const expired = expiredPrefixLength(records, now, -1);
    // then
    expect(expired).toBe(0);
  });
});
