import { lambdaContext } from '@ddb-os/testing';
import type { Context } from 'aws-lambda';
import { lambdaHandler } from '../../src';

/** A function whose build counts its calls and fails while `invalid` is set. */
function countingFunction(state: { builds: number; invalid: boolean }) {
  return {
    serviceName: 'runtime-test',
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    build: () => {
      state.builds += 1;
      if (state.invalid) throw new Error('DLQ_URL: is required');
      return { build: state.builds };
    },
    handle: async (event: { n: number }, _context: Context | undefined, deps: { build: number }) => ({ n: event.n, build: deps.build }),
  };
}

describe('lambdaHandler', () => {
  it('builds its dependencies at the first invocation and reuses them until reset', async () => {
    // given
    const state = { builds: 0, invalid: false };
    const handler = lambdaHandler(countingFunction(state));
    // when
    const first = await handler({ n: 1 }, lambdaContext());
    const second = await handler({ n: 2 }, lambdaContext());
    handler.reset();
    const third = await handler({ n: 3 }, lambdaContext());
    // then
    expect([first, second, third]).toEqual([
      { n: 1, build: 1 },
      { n: 2, build: 1 },
      { n: 3, build: 2 },
    ]);
  });

  it('builds nothing at import: a configuration error surfaces at the first invocation, before the event is handled', async () => {
    // given
    const state = { builds: 0, invalid: true };
    const handle = jest.fn();
    const handler = lambdaHandler({ ...countingFunction(state), handle });
    // then
    expect(state.builds).toBe(0);
    await expect(handler({ n: 1 }, lambdaContext())).rejects.toThrow('DLQ_URL: is required');
    expect(handle).not.toHaveBeenCalled();
  });

  it('start() builds now and rejects with what is wrong with the configuration, then tries again; a handler may take no context', async () => {
    // given
    const state = { builds: 0, invalid: true };
    const handler = lambdaHandler<{ n: number }, { n: number; build: number }, { build: number }, Context | undefined>(
      countingFunction(state),
    );
    // then
    await expect(handler.start()).rejects.toThrow('DLQ_URL: is required');
    state.invalid = false;
    await handler.start();
    expect(state.builds).toBe(2);
    expect(await handler({ n: 4 })).toEqual({ n: 4, build: 2 });
  });
});
