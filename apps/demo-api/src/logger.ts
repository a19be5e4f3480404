/** Structured log sink: one JSON object per line. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A logger writing JSON lines (`{ level, time, service, message, ...fields }`) to stdout/stderr.
 *
 * @example
 * jsonLogger('demo-api').info('listening', { url: 'http://127.0.0.1:3000' });
 */
export function jsonLogger(service: string, write: (line: string, level: string) => void = defaultWrite): Logger {
  const emit =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(JSON.stringify({ level, time: new Date().toISOString(), service, message, ...fields }), level);
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function defaultWrite(line: string, level: string): void {
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

/** What can be logged about an error without leaking a stack trace to clients (logs keep the stack). */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return { errorName: error.name, errorMessage: error.message, stack: error.stack };
}
