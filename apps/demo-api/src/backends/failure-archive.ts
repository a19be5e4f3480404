import { normalizePrefix, parseArchiveKey, type Archive, type S3ArchiveStore } from '@ddb-os/failure-archive';
import { toJsonSafe, type AnyAttributeValue } from '@ddb-os/stream-decoding';
import type { ArchivedFailure, FailureArchiveService } from '../types';
import { callBackend } from './unavailable';

/** At most this many failures are listed (the newest); the page is a demo, not an archive browser. */
export const MAX_LISTED_FAILURES = 50;

export interface ArchiveFailuresOptions {
  readonly store: Pick<S3ArchiveStore, 'list' | 'read'>;
  /** Archive prefix, e.g. `failures/`; the table's objects are under `<prefix><table>/`. */
  readonly prefix: string;
  readonly tableName: string;
}

/**
 * The demo table's archived failures, read from the failure archive (replayed objects live under another
 * prefix, so they drop out of the list).
 *
 * @example
 * const failures = await new ArchiveFailures({ store, prefix: 'failures/', tableName: 'demo-items' }).list();
 */
export class ArchiveFailures implements FailureArchiveService {
  constructor(private readonly options: ArchiveFailuresOptions) {}

  async list(): Promise<readonly ArchivedFailure[]> {
    return callBackend('s3', async () => {
      const { store } = this.options;
      const keys: string[] = [];
      for await (const object of store.list(this.tablePrefix())) {
        if (this.owns(object.key)) keys.push(object.key);
      }
      const failures = await Promise.all(keys.map(async (key) => archivedFailure(key, await store.read(key))));
      return failures.sort((a, b) => b.failedAt.localeCompare(a.failedAt) || a.key.localeCompare(b.key)).slice(0, MAX_LISTED_FAILURES);
    });
  }

  owns(key: string): boolean {
    return key.startsWith(this.tablePrefix()) && parseArchiveKey(key, this.options.prefix)?.table === this.options.tableName;
  }

  private tablePrefix(): string {
    return `${normalizePrefix(this.options.prefix)}${this.options.tableName}/`;
  }
}

/**
 * What the panel shows of one archive object.
 *
 * @example
 * archivedFailure('failures/demo-items/2026/03/04/poison/7-7.ndjson', await store.read(key)).reason;
 */
export function archivedFailure(key: string, archive: Archive): ArchivedFailure {
  const { header } = archive;
  return {
    key,
    kind: header.kind,
    table: header.table,
    reason: header.reason,
    sequenceNumbers: header.range,
    failedAt: header.failedAt,
    archivedAt: header.archivedAt,
    itemKeys: distinctItemKeys(archive.records),
  };
}

function distinctItemKeys(records: readonly unknown[]): Record<string, unknown>[] {
  const seen = new Map<string, Record<string, unknown>>();
  for (const record of records) {
    const keys = (record as { dynamodb?: { Keys?: unknown } } | null)?.dynamodb?.Keys;
    if (typeof keys !== 'object' || keys === null) continue;
    const decoded = decodedKeys(keys as Record<string, AnyAttributeValue>);
    seen.set(JSON.stringify(decoded), decoded);
  }
  return [...seen.values()];
}

/** Keys as plain JSON; keys that do not decode are shown as archived rather than hidden. */
function decodedKeys(keys: Record<string, AnyAttributeValue>): Record<string, unknown> {
  try {
    return toJsonSafe(keys);
  } catch {
    return keys;
  }
}
