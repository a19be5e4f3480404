import { randomSeed } from '../../src/prng';
import { runChaos } from '../../src/chaos/harness';
import { CHAOS_MODES, CHAOS_NOTES } from '../../src/chaos/modes';

jest.setTimeout(240_000);

describe('chaos run (reduced)', () => {
  it('loses nothing, leaves nothing stale and resurrects nothing through faults, outages, restarts and poison items', async () => {
    // given a seeded random workload (set CHAOS_SEED to repeat a run)
    const seed = process.env['CHAOS_SEED'] === undefined ? randomSeed() : Number(process.env['CHAOS_SEED']);
    console.log(`chaos (reduced) seed: ${seed}`);
    // when it runs through the fault proxy with the failure path and replay
    const report = await runChaos({
      ...CHAOS_MODES.reduced,
      mode: 'reduced',
      seed,
      keepResources: false,
      command: `CHAOS_SEED=${seed} npx nx run bench:test`,
      settings: {},
      notes: CHAOS_NOTES,
      log: (line) => console.log(`chaos: ${line}`),
    });
    // then every key matches the table
    expect(report.result).toMatchObject({ lost: 0, stale: 0, resurrected: 0, parked: 0 });
    expect(report.result.checked).toBe(report.workload.touchedKeys);
    expect(report.result.liveItems).toBeGreaterThan(0);
    expect(report.result.deletedKeys).toBeGreaterThan(0);
    expect(report.passed).toBe(true);
    // and the run did exercise what it claims: faults, retries, restarts, the DLQ, the on-failure queue and replay
    expect(report.workload.operations).toBeGreaterThanOrEqual(1_000);
    expect(report.workload.poisonFixed).toBe(report.workload.poison);
    expect(report.faults.injected.outage).toBe(2);
    expect(report.faults.proxy.injected.status).toBeGreaterThan(0);
    expect(report.runner.restarts).toBe(2);
    expect(report.runner.retries).toBeGreaterThan(0);
    // Whether an outage outlasts both retry layers depends on the machine's load, so a poison record reaches the
    // archive either through the DLQ or inside a batch the runner gave up; what must hold is that each one is archived,
    // and that every batch the runner gave up reached the archive (the give-up path itself: apps/failure-handler/test/runner-to-archive).
    expect(report.failurePath.poisonArchived).toMatchObject({ total: report.workload.poison, missing: [] });
    // The product schema refuses its poison items whatever OpenSearch answers, so every invocation that handles one dead-letters it.
    expect(report.failurePath.dlq.succeeded).toBeGreaterThanOrEqual(1);
    expect(report.failurePath.onFailure.succeeded).toBe(report.runner.onFailureRecords);
    expect(report.failurePath.replay.at(-1)).toMatchObject({ failed: 0, exitCode: 0 });
    expect(report.failurePath.replay[0]?.objects).toBeGreaterThan(0);
  });
});
