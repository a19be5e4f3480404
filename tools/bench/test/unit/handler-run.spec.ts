import type { DynamoDBStreamEvent } from 'aws-lambda';
import { benchRouting } from '../../src/bench-definition';
import { BatchNotIndexedError } from '../../src/errors';
import { timeHandler, timeSteps } from '../../src/handler-run';
import { recordHttp } from '../../src/http-timing';
import type { StreamHandler } from '../../src/local';
import { syntheticBatches } from '../../src/synthetic';
import { workloadFactory } from '../helpers/factories';

describe('timeHandler', () => {
  const recorder = recordHttp('127.0.0.1:1');
  afterAll(() => recorder.stop());
  const { events } = syntheticBatches(workloadFactory({ batches: 2, batchSize: 10 }));

  it('times every batch, in order, with the records of each', async () => {
    const seen: number[] = [];
    const handler: StreamHandler = async (event) => void seen.push(event.Records.length);
    const timings = await timeHandler(handler, events, recorder);
    expect(seen).toEqual([10, 10]);
    expect(timings.map((timing) => ({ records: timing.records, redeliveries: timing.redeliveries }))).toEqual([
      { records: 10, redeliveries: 0 },
      { records: 10, redeliveries: 0 },
    ]);
    expect(timings.every((timing) => timing.wallMs >= 0 && timing.cpuUs >= 0)).toBe(true);
  });

  it('delivers a partially failed batch again from the reported record, as Lambda does', async () => {
    // given a handler that fails the 4th record of the first invocation only
    const invocations: DynamoDBStreamEvent[] = [];
    const handler: StreamHandler = async (event) => {
      invocations.push(event);
      const fourth = event.Records[3]?.dynamodb?.SequenceNumber;
      return invocations.length === 1 && fourth ? { batchItemFailures: [{ itemIdentifier: fourth }] } : { batchItemFailures: [] };
    };
    // when one batch is timed
    const [timing] = await timeHandler(handler, events.slice(0, 1), recorder);
    // then the second invocation holds the 4th record and everything after it
    expect(invocations.map((event) => event.Records.length)).toEqual([10, 7]);
    expect(invocations[1]?.Records[0]).toBe(events[0]?.Records[3]);
    expect(timing?.redeliveries).toBe(1);
  });

  it('stops the run when a batch keeps failing', async () => {
    const handler: StreamHandler = async (event) => ({
      batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber ?? '' }],
    });
    await expect(timeHandler(handler, events.slice(0, 1), recorder)).rejects.toThrow(BatchNotIndexedError);
  });
});

describe('timeSteps', () => {
  it('times decode and plan on the same batches and counts the coalesced documents', () => {
    const { events, counts } = syntheticBatches(workloadFactory({ batches: 2 }));
    const steps = timeSteps(events, benchRouting('bench-reviews', { index: 'reviews' }));
    expect(steps.documents).toBeGreaterThan(0);
    expect(steps.documents).toBeLessThan(counts.records);
    expect(steps.decodeCpuUs).toBeGreaterThan(0);
    expect(steps.planCpuUs).toBeGreaterThan(0);
  });
});
