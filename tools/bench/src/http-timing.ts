import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { HttpRecorder, HttpRecording, Interval } from './types';

/**
 * The time covered by at least one interval (overlapping requests count once).
 *
 * @example
 * busyTime([{ start: 0, end: 10 }, { start: 5, end: 20 }, { start: 30, end: 31 }]); // 21
 */
export function busyTime(intervals: readonly Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let open: Interval | undefined;
  for (const interval of sorted) {
    if (open === undefined || interval.start > open.end) {
      if (open) total += open.end - open.start;
      open = interval;
    } else if (interval.end > open.end) {
      open = { start: open.start, end: interval.end };
    }
  }
  return open ? total + open.end - open.start : total;
}

const REQUEST_START = 'http.client.request.start';

/**
 * Records every outgoing HTTP request to `host:port` (Node's `http.client.request.start` diagnostics channel),
 * from its creation to its `close` (response read to the end). Works with any client built on `node:http`,
 * so any handler can be measured without changing it.
 *
 * @example
 * const recorder = recordHttp('127.0.0.1:9200');
 * await handler(event, context);
 * busyTime(recorder.take().intervals); // ms spent waiting for OpenSearch
 */
export function recordHttp(hostAndPort: string): HttpRecorder {
  let intervals: Interval[] = [];
  let requests = { bulk: 0, mget: 0, other: 0 };
  const onStart = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    if (request === undefined || request.getHeader('host') !== hostAndPort) return;
    const start = performance.now();
    const kind = request.path.includes('_bulk') ? 'bulk' : request.path.includes('_mget') ? 'mget' : 'other';
    request.once('close', () => {
      intervals.push({ start, end: performance.now() });
      requests[kind] += 1;
    });
  };
  subscribe(REQUEST_START, onStart);
  return {
    take(): HttpRecording {
      const recording = { intervals, requests };
      intervals = [];
      requests = { bulk: 0, mget: 0, other: 0 };
      return recording;
    },
    stop(): void {
      unsubscribe(REQUEST_START, onStart);
    },
  };
}
