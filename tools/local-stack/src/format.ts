import type { ServerStatus, ServerUpReport, StopReport } from './types';

/** Renders rows as an aligned text table with a header line. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const ORIGIN_TEXT = { started: 'started now', reused: 'already running', external: 'external (not ours)' } as const;

/** The table `up` prints: one line per server with endpoint and version. */
export function formatUpReport(servers: readonly ServerUpReport[]): string {
  return renderTable(
    ['SERVER', 'ENDPOINT', 'SOFTWARE', 'VERSION', 'PID', 'STATE', 'SECONDS'],
    servers.map((server) => [
      server.title,
      server.endpoint,
      server.software,
      server.version,
      server.pid === undefined ? '-' : String(server.pid),
      ORIGIN_TEXT[server.origin],
      server.seconds.toFixed(1),
    ]),
  );
}

/** The table `status` prints. */
export function formatStatus(statuses: readonly ServerStatus[]): string {
  return renderTable(
    ['SERVER', 'ENDPOINT', 'STATE', 'VERSION', 'PID', 'STARTED BY', 'DETAIL'],
    statuses.map((status) => [
      status.title,
      status.endpoint,
      status.up ? 'up' : 'DOWN',
      status.version ?? '-',
      status.pid === undefined ? '-' : String(status.pid),
      status.owner ?? '-',
      status.detail ?? '',
    ]),
  );
}

const STOP_TEXT = {
  stopped: 'stopped',
  killed: 'killed (did not stop on SIGTERM)',
  'not-running': 'not running (or not started by us)',
  'in-use': 'left running (in use by another process)',
} as const;

/** One line per server for `down`. */
export function formatStopReports(reports: readonly StopReport[]): string {
  return renderTable(
    ['SERVER', 'PID', 'RESULT'],
    reports.map((report) => [report.name, report.pid === undefined ? '-' : String(report.pid), STOP_TEXT[report.outcome]]),
  );
}

/** Short one-line summary of versions, for CI logs: `OpenSearch 2.19.6, moto server 5.2.5, ...`. */
export function versionsLine(servers: readonly ServerUpReport[]): string {
  return servers.map((server) => `${server.software} ${server.version} @ ${server.endpoint} (${ORIGIN_TEXT[server.origin]})`).join('; ');
}
