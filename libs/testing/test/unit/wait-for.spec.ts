import { InvalidOptionError, WaitForTimeoutError } from '../../src/errors';
import { waitFor } from '../../src/wait-for';
import { eventually } from '../helpers/factories';

describe('waitFor', () => {
  it('retries while the function throws and returns its first value', async () => {
    // given
    const probe = eventually('ready', 2);

    // when
    const value = await waitFor(probe.fn, { intervalMs: 1 });

    // then
    expect(value).toBe('ready');
    expect(probe.calls()).toBe(3);
  });

  it('retries while the function returns false', async () => {
    const probe = eventually(42, 3, 'false');
    await expect(waitFor(probe.fn, { intervalMs: 1 })).resolves.toBe(42);
    expect(probe.calls()).toBe(4);
  });

  it('accepts undefined (an assertion-style function that did not throw)', async () => {
    await expect(waitFor(() => undefined)).resolves.toBeUndefined();
  });

  it('times out with the description and the last error', async () => {
    // when
    const waiting = waitFor(
      () => {
        throw new Error('index missing');
      },
      { timeoutMs: 30, intervalMs: 5, description: 'the index' },
    );

    // then
    await expect(waiting).rejects.toThrow(WaitForTimeoutError);
    await expect(waiting).rejects.toThrow(/Timed out after 30 ms \(\d+ attempts\) waiting for the index; last error: Error: index missing/);
  });

  it('times out saying the last attempt returned false', async () => {
    await expect(waitFor(() => false, { timeoutMs: 10, intervalMs: 5 })).rejects.toThrow('the last attempt returned false');
  });

  it.each([
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ intervalMs: Number.NaN }, 'intervalMs'],
  ])('rejects bad options %j', async (options, option) => {
    await expect(waitFor(() => true, options)).rejects.toThrow(InvalidOptionError);
    await expect(waitFor(() => true, options)).rejects.toThrow(`Invalid ${option}`);
  });
});
