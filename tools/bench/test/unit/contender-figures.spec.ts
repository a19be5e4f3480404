import { contenderPair, contenderRun, gbSecondsPerMillion } from '../../src/contender-figures';
import { batchTimingFactory } from '../helpers/factories';

describe('contenderRun', () => {
  it('derives records/s, CPU per 1,000 records and the billed duration (each invocation rounded up to 1 ms)', () => {
    // given two batches of 100 records taking 49.2 ms and 50.1 ms of wall time and 20 ms and 30 ms of CPU
    const batches = [
      batchTimingFactory({ wallMs: 49.2, cpuUs: 20_000, openSearchMs: 30 }),
      batchTimingFactory({ wallMs: 50.1, cpuUs: 30_000, openSearchMs: 40 }),
    ];
    // when the contender's figures are computed
    const run = contenderRun(batches);
    // then Lambda would bill 50 + 51 ms for 200 records
    expect(run).toEqual({
      records: 200,
      recordsPerSecond: 2014,
      cpuMsPer1k: 250,
      billedMsPerRecord: 0.505,
      gbSecondsPerMillionAt512: 253,
      gbSecondsPerMillionAt1024: 505,
      openSearchMsPerBatch: 35,
    });
  });

  it('refuses a run without batches', () => {
    expect(() => contenderRun([])).toThrow('a contender run');
  });
});

describe('gbSecondsPerMillion', () => {
  it('is memory in GB × billed seconds per record × a million', () => {
    expect(gbSecondsPerMillion(0.5, 1024)).toBe(500);
    expect(gbSecondsPerMillion(0.5, 512)).toBe(250);
  });
});

describe('contenderPair', () => {
  it('is ours ÷ peer in records/s', () => {
    // given ours at 3,000 records/s and the peer at 2,000
    const ours = contenderRun([batchTimingFactory({ records: 300, wallMs: 100 })]);
    const peer = contenderRun([batchTimingFactory({ records: 200, wallMs: 100 })]);
    // when paired, then the ratio is 1.5
    expect(contenderPair(2, 'peer', ours, peer)).toMatchObject({ pair: 2, first: 'peer', ratio: 1.5 });
  });
});
