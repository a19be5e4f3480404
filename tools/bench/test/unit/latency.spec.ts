import { LatencyTracker, latencyRun } from '../../src/latency';

describe('LatencyTracker', () => {
  it('resolves a write when its version (or a later one) is seen', () => {
    // given two writes of one document and one of another
    const tracker = new LatencyTracker();
    tracker.register('a', 1, 0, 10);
    tracker.register('a', 2, 100, 110);
    tracker.register('b', 1, 0, 5);
    // when version 1 of a is seen at 500, then version 2 at 900
    tracker.observe('a', 1, 500);
    expect(tracker.pendingCount()).toBe(2);
    tracker.observe('a', 2, 900);
    // then both writes of a are resolved with their own latencies, b is still pending
    expect(tracker.results()).toEqual([
      { id: 'a', version: 1, fromSendMs: 500, fromAckMs: 490 },
      { id: 'a', version: 2, fromSendMs: 800, fromAckMs: 790 },
    ]);
    expect(tracker.pendingIds()).toEqual(['b']);
  });

  it('counts a write as arrived when a later version is seen first', () => {
    const tracker = new LatencyTracker();
    tracker.register('a', 1, 0, 0);
    tracker.register('a', 2, 50, 60);
    tracker.observe('a', 2, 1000);
    expect(tracker.results().map((write) => write.version)).toEqual([1, 2]);
    expect(tracker.pendingCount()).toBe(0);
  });

  it('ignores documents it does not wait for, and older versions', () => {
    const tracker = new LatencyTracker();
    tracker.register('a', 5, 0, 0);
    tracker.observe('zz', 9, 10);
    tracker.observe('a', 4, 10);
    expect(tracker.results()).toEqual([]);
    expect(tracker.pendingCount()).toBe(1);
  });
});

describe('latencyRun', () => {
  it('summarises both latencies and the achieved rate', () => {
    const observed = Array.from({ length: 100 }, (_, index) => ({ id: `d${index}`, version: 1, fromSendMs: index + 1, fromAckMs: index }));
    const run = latencyRun(observed, { writes: 100, notSeen: 0, durationMs: 5_000 });
    expect(run.fromSend).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(run.fromAck.p50).toBe(49);
    expect(run.achievedRate).toBe(20);
  });
});
