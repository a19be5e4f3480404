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

describe('LatencyTracker stage breakdown', () => {
  it('times each stage from the acknowledgement and from the stage before', () => {
    // given a write acknowledged at 10, in the stream at 60, delivered at 300, indexed at 320, searchable at 1,000
    const tracker = new LatencyTracker();
    tracker.mark('stream', 'a', 1, 60);
    tracker.register('a', 1, 0, 10);
    tracker.mark('delivered', 'a', 1, 300);
    tracker.mark('delivered', 'a', 1, 900);
    tracker.mark('indexed', 'a', 1, 320);
    // when
    tracker.observe('a', 1, 1000);
    const stages = tracker.stageBreakdown();
    // then: the mark made before the write was registered counts, and a second delivery does not move the first
    expect(stages.putItem.p50).toBe(10);
    expect(stages.fromAck).toEqual({
      stream: { count: 1, p50: 50, p95: 50, p99: 50, max: 50 },
      delivered: { count: 1, p50: 290, p95: 290, p99: 290, max: 290 },
      indexed: { count: 1, p50: 310, p95: 310, p99: 310, max: 310 },
      searchable: { count: 1, p50: 990, p95: 990, p99: 990, max: 990 },
    });
    expect([stages.step.stream?.p50, stages.step.delivered?.p50, stages.step.indexed?.p50, stages.step.searchable?.p50]).toEqual([
      50, 240, 20, 680,
    ]);
  });

  it("keeps each version's own marks when a later version resolves it, and leaves unmarked stages out", () => {
    // given two versions of one document, only the second one seen by the stream reader
    const tracker = new LatencyTracker();
    tracker.register('a', 1, 0, 0);
    tracker.register('a', 2, 100, 100);
    tracker.mark('delivered', 'a', 1, 400);
    tracker.mark('delivered', 'a', 2, 400);
    // when version 2 is found first
    tracker.observe('a', 2, 1200);
    const stages = tracker.stageBreakdown();
    // then each write is timed from its own acknowledgement
    expect(stages.fromAck.delivered).toMatchObject({ count: 2, p50: 300, max: 400 });
    expect(stages.fromAck.searchable).toMatchObject({ count: 2, p50: 1100, max: 1200 });
    expect(stages.fromAck.stream).toBeUndefined();
    expect(stages.step.delivered).toBeUndefined();
  });
});
