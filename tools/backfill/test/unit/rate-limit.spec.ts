import { InvalidOptionsError } from '../../src/errors';
import { BackPressure, TokenBucket } from '../../src/rate-limit';

/** A clock that only moves when the code under test sleeps. */
function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let time = 0;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

describe('TokenBucket', () => {
  it('lets a full bucket through at once, then waits for the tokens to refill', async () => {
    // given 100 RCU/s
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 100, now: time.now, sleep: time.sleep });
    // when
    await bucket.take(100);
    await bucket.take(50);
    // then
    expect(time.sleeps).toEqual([500]);
    expect(time.now()).toBe(500);
  });

  it('charges the actual consumption: an expensive read puts the bucket in debt, which later reads wait out', async () => {
    // given
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, now: time.now, sleep: time.sleep });
    await bucket.take(1);
    // when a page estimated at 1 RCU consumed 30
    bucket.settle(1, 30);
    await bucket.take(1);
    // then: 10 - 30 = -20 tokens; one more needs 2.1 s of refill
    expect(bucket.available()).toBeCloseTo(0, 5);
    expect(time.now()).toBe(2_100);
  });

  it('keeps the long-run rate at ratePerSecond', async () => {
    // given
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 50, now: time.now, sleep: time.sleep });
    // when 1,000 units are consumed in pages of 25
    for (let page = 0; page < 40; page += 1) {
      await bucket.take(25);
    }
    // then: the first 50 came from the initial bucket, the other 950 took 19 s
    expect(time.now()).toBe(19_000);
  });

  it('never waits for more than a full bucket, so a page costlier than the burst still goes through', async () => {
    // given
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 10, now: time.now, sleep: time.sleep });
    // when
    await bucket.take(40);
    // then
    expect(time.now()).toBe(0);
    expect(bucket.available()).toBe(-30);
  });

  it('returns without taking anything once the signal is aborted', async () => {
    // given
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 1, now: time.now, sleep: time.sleep });
    const controller = new AbortController();
    controller.abort();
    // when
    await bucket.take(5, controller.signal);
    // then
    expect(bucket.available()).toBe(1);
  });

  it('rejects a rate that is not a positive number, naming it', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(InvalidOptionsError);
    expect(() => new TokenBucket({ ratePerSecond: Number.NaN })).toThrow(/ratePerSecond: must be a positive number/);
  });
});

describe('BackPressure', () => {
  it('starts without a pause, grows it while OpenSearch pushes back, up to the maximum', () => {
    // given
    const pressure = new BackPressure({ initialDelayMs: 100, maxDelayMs: 1_000, factor: 2 });
    // when / then
    expect(pressure.delayMs).toBe(0);
    const delays = Array.from({ length: 6 }, () => {
      pressure.pushedBack();
      return pressure.delayMs;
    });
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('shrinks the pause with every clean page until it disappears', () => {
    // given
    const pressure = new BackPressure({ initialDelayMs: 100, maxDelayMs: 1_000, factor: 2 });
    for (let round = 0; round < 4; round += 1) pressure.pushedBack();
    // when
    const delays = Array.from({ length: 5 }, () => {
      pressure.relieved();
      return pressure.delayMs;
    });
    // then
    expect(delays).toEqual([400, 200, 100, 0, 0]);
  });

  it('waits the current pause', async () => {
    // given
    const time = fakeTime();
    const pressure = new BackPressure({ initialDelayMs: 250, sleep: time.sleep });
    // when
    await pressure.wait();
    pressure.pushedBack();
    await pressure.wait();
    // then
    expect(time.sleeps).toEqual([0, 250]);
  });
});
