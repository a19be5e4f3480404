import type { LogLevel, RunnerLogger } from './types';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Writes one JSON object per line (`time`, `level`, `msg`, then the data) at or above `minLevel`.
 * @example jsonLogger(process.stdout, 'info').log('info', 'batch processed', { size: 10 });
 */
export function jsonLogger(out: NodeJS.WritableStream, minLevel: LogLevel = 'info'): RunnerLogger {
  return {
    log(level, message, data = {}) {
      if (LEVELS[level] < LEVELS[minLevel]) return;
      out.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...data })}\n`);
    },
  };
}

/** Drops everything (tests, embedding). */
export const silentLogger: RunnerLogger = { log: () => undefined };

/** Whether `level` passes `minLevel`. */
export function levelEnabled(level: LogLevel, minLevel: LogLevel): boolean {
  return LEVELS[level] >= LEVELS[minLevel];
}
