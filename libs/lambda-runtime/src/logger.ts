import type { Logger } from '@aws-lambda-powertools/logger';

/** Structured fields of one log line. */
export type LogFields = Record<string, unknown>;

/**
 * The logging port of every Lambda of the sync (and the indexing core), with levels. Powertools' `Logger` fits it as is; tests
 * pass {@link recordingLogger} or {@link silentLogger}.
 *
 * - `error`: something an operator must act on (a record refused by the DLQ, a configuration that
 *   cannot index the table, a defect in our code);
 * - `warn`: a record that is dead-lettered or will be delivered again, with its reason and sequence number;
 * - `info` / `debug`: the batch summary and routine details.
 */
export interface LoggerPort {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * The port over a Powertools `Logger` (its levels, its JSON lines, its Lambda context).
 *
 * @example
 * const logger = powertoolsLogger(new Logger({ serviceName: 'orders-sync' }));
 */
export function powertoolsLogger(logger: Logger): LoggerPort {
  const at = (write: (message: string, ...fields: Record<string, unknown>[]) => void) => (message: string, fields?: LogFields) =>
    fields === undefined ? write(message) : write(message, fields);
  return {
    debug: at((message, ...fields) => logger.debug(message, ...fields)),
    info: at((message, ...fields) => logger.info(message, ...fields)),
    warn: at((message, ...fields) => logger.warn(message, ...fields)),
    error: at((message, ...fields) => logger.error(message, ...fields)),
  };
}

/** A logger that drops every line. */
export const silentLogger: LoggerPort = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export type LogLevel = keyof LoggerPort;

/** One line a {@link recordingLogger} kept. */
export interface RecordedLogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

/**
 * A logger that keeps every line in `lines`, for tests and local tools.
 *
 * @example
 * const logger = recordingLogger();
 * logger.warn('record dead-lettered', { sequenceNumber: '42' });
 * logger.lines; // [{ level: 'warn', message: 'record dead-lettered', fields: { sequenceNumber: '42' } }]
 */
export function recordingLogger(): LoggerPort & { readonly lines: RecordedLogLine[] } {
  const lines: RecordedLogLine[] = [];
  const at =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}) =>
      void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Longest reason a log line carries; OpenSearch reasons can quote a whole field value. */
export const MAX_LOGGED_REASON_CHARS = 2_000;

/**
 * `text` cut to at most `maxChars` characters (never inside a surrogate pair), with a marker saying
 * how long it was.
 *
 * @example
 * truncateText('x'.repeat(5000), 100); // 'xxx…' + ' … [truncated: 5000 characters in all]'
 */
export function truncateText(text: string, maxChars = MAX_LOGGED_REASON_CHARS): string {
  if (text.length <= maxChars) return text;
  const marker = ` … [truncated: ${text.length} characters in all]`;
  return cutBefore(text, Math.max(0, maxChars - marker.length)) + marker;
}

/** The first `length` UTF-16 units of `text`, one fewer when that would split a surrogate pair. */
export function cutBefore(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}
