import { throughputRun } from '../../src/throughput';
import { batchTimingFactory, stepTimingFactory } from '../helpers/factories';

describe('throughputRun', () => {
  it('derives rates, CPU per record and the OpenSearch split from the measurements', () => {
    // given two batches of 100 records, 50 ms and 150 ms, 40 ms and 100 ms of it waiting for OpenSearch
    const batches = [
      batchTimingFactory({ wallMs: 50, openSearchMs: 40, cpuUs: 10_000 }),
      batchTimingFactory({ wallMs: 150, openSearchMs: 100, cpuUs: 30_000, redeliveries: 1 }),
    ];
    // when the run's figures are computed
    const run = throughputRun(batches, stepTimingFactory({ decodeCpuUs: 4_000, planCpuUs: 2_000, documents: 150 }));
    // then
    expect(run).toMatchObject({
      records: 200,
      documents: 150,
      batches: 2,
      recordsPerSecond: 1000,
      cpuUsPerRecord: 200,
      billedMsPerRecord: 1,
      gbSecondsPerMillionAt512: 500,
      gbSecondsPerMillionAt1024: 1000,
      decodeUsPerRecord: 20,
      planUsPerRecord: 10,
      openSearchMsPerBatch: 70,
      otherMsPerBatch: 30,
      openSearchShare: 0.7,
      requestsPerBatch: 2,
      redeliveries: 1,
    });
  });

  it("bills each invocation's wall time rounded up to the millisecond, as Lambda does", () => {
    // given 100 records in two invocations of 10.2 ms and 20.01 ms (billed 11 + 21 = 32 ms)
    const batches = [batchTimingFactory({ records: 50, wallMs: 10.2 }), batchTimingFactory({ records: 50, wallMs: 20.01 })];
    // when
    const run = throughputRun(batches, stepTimingFactory());
    // then 0.32 ms per record: 0.5 GB × 0.32 ms × 1M = 160 GB-s at 512 MB, 320 at 1,024 MB
    expect(run).toMatchObject({ billedMsPerRecord: 0.32, gbSecondsPerMillionAt512: 160, gbSecondsPerMillionAt1024: 320 });
  });

  it('refuses a run without batches', () => {
    expect(() => throughputRun([], stepTimingFactory())).toThrow('a throughput run');
  });
});
