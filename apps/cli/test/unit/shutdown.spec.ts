import { ShutdownSignals } from '../../src/shutdown';

describe('shutdown signals', () => {
  it('aborts at the first signal and counts every signal to the listeners', () => {
    // given
    const signals = ShutdownSignals.manual();
    const counts: number[] = [];
    signals.onSignal((count) => counts.push(count));
    // when
    signals.receive();
    signals.receive();
    // then
    expect(signals.abortSignal.aborted).toBe(true);
    expect(counts).toEqual([1, 2]);
  });
});
