import { PROBE_TIMEOUT_MS } from '../constants';
import { portOpen } from '../processes';
import type { Endpoint, ProbeResult } from '../types';

/** SDK client settings for probes: one attempt, short timeouts. */
export function probeClientConfig(endpoint: Endpoint) {
  return {
    endpoint: endpoint.url,
    maxAttempts: 1,
    requestHandler: { requestTimeout: PROBE_TIMEOUT_MS, connectionTimeout: 1_000 },
  };
}

/**
 * Probes an AWS-style API: closed port → 'closed'; the call succeeds → 'healthy'; anything else answering → 'foreign'.
 * `version` is reported when the server tells it (the local AWS emulators do not).
 */
export async function probeAwsApi(endpoint: Endpoint, call: () => Promise<unknown>): Promise<ProbeResult> {
  if (!(await portOpen(endpoint.host, endpoint.port))) return { state: 'closed' };
  try {
    await call();
    return { state: 'healthy', version: undefined };
  } catch (error) {
    return { state: 'foreign', detail: describe(error) };
  }
}

/** GETs a JSON document with a short timeout. */
export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text.slice(0, 200) };
  }
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const firstLine = error.message.split('\n')[0] ?? '';
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${firstLine}`.slice(0, 200);
}
