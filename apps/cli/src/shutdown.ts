import { EXIT } from './constants';

/**
 * SIGINT / SIGTERM for the commands: the first aborts `abortSignal` (a backfill stops after the pages being written)
 * and tells the listeners (the stream runner finishes its batch); each further signal is counted to them too. A
 * command that registered no listener (status, replay) is ended at once, as without a handler.
 */
export class ShutdownSignals {
  private readonly controller = new AbortController();
  private readonly listeners: ((count: number) => void)[] = [];
  private count = 0;

  private constructor(
    private readonly detach: () => void,
    private readonly unhandled: () => void,
  ) {}

  /** The signals of this process, until {@link dispose}. */
  static ofProcess(): ShutdownSignals {
    const onSignal = (): void => signals.receive();
    const signals: ShutdownSignals = new ShutdownSignals(
      () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      },
      () => process.exit(EXIT.interrupted),
    );
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return signals;
  }

  /** Signals that only {@link receive} raises (tests). */
  static manual(): ShutdownSignals {
    return new ShutdownSignals(
      () => undefined,
      () => undefined,
    );
  }

  get abortSignal(): AbortSignal {
    return this.controller.signal;
  }

  /** Calls `listener` with how many signals were received so far, at each one. */
  onSignal(listener: (count: number) => void): void {
    this.listeners.push(listener);
  }

  receive(): void {
    this.count += 1;
    this.controller.abort();
    if (this.listeners.length === 0) this.unhandled();
    for (const listener of this.listeners) listener(this.count);
  }

  dispose(): void {
    this.detach();
  }
}
