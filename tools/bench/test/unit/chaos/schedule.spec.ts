import { createPrng } from '../../../src/prng';
import { faultSchedule } from '../../../src/chaos/schedule';

describe('faultSchedule', () => {
  const options = { durationMs: 60_000, killOpenSearch: false, meanGapMs: 2_000 };

  it('is sorted, deterministic, and holds the milestones', () => {
    const schedule = faultSchedule(createPrng(3), options);
    expect(schedule).toEqual(faultSchedule(createPrng(3), options));
    expect(schedule.map((event) => event.atMs)).toEqual([...schedule.map((event) => event.atMs)].sort((a, b) => a - b));
    const kinds = schedule.map((event) => event.fault.kind);
    expect(kinds.filter((kind) => kind === 'outage')).toHaveLength(2);
    expect(schedule.filter((event) => event.fault.kind === 'runner-restart').map((event) => event.fault)).toEqual([
      { kind: 'runner-restart', abrupt: true, downMs: 1_500 },
      { kind: 'runner-restart', abrupt: false, downMs: 1_000 },
    ]);
    expect(kinds).not.toContain('opensearch-kill');
  });

  it('adds small faults all along the run, and an OpenSearch crash only when asked', () => {
    const schedule = faultSchedule(createPrng(3), { ...options, killOpenSearch: true });
    expect(schedule.filter((event) => event.fault.kind === 'opensearch-kill')).toHaveLength(1);
    expect(schedule.length).toBeGreaterThan(15);
    expect(schedule.every((event) => event.atMs >= 0 && event.atMs < options.durationMs)).toBe(true);
  });
});
