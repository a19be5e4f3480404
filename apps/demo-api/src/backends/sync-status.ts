import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@opensearch-project/opensearch';
import { BackendUnavailableError, type Backend } from '../errors';
import type { LastIndexedChange, StatusPart, SyncStatus, SyncStatusService } from '../types';
import { callBackend } from './unavailable';

/** Something with a `status()` (the stream runner); its result is reported as is. */
export interface RunnerStatusSource {
  status(): unknown;
}

export interface IndexNames {
  /** Read alias per base name (live documents only). */
  readonly readAliases: Readonly<Record<string, string>>;
  /** Write alias per base name (live documents and tombstones: the last change may be a delete). */
  readonly writeAliases: Readonly<Record<string, string>>;
}

export interface SyncStatusOptions {
  readonly openSearch: Client;
  readonly indexes: IndexNames;
  readonly sqs?: SQSClient;
  /** Queue URL per label (`deadLetter`, `onFailure`); empty when the server watches no queue. */
  readonly queues?: Readonly<Record<string, string>>;
  /** The in-process stream runner, when this server runs one. */
  readonly runner?: RunnerStatusSource;
  readonly now?: () => Date;
}

/**
 * Gathers the sync panel's figures. Each part is read independently, so a backend that is down shows up as
 * that part's error while the others are still reported.
 *
 * @example
 * const status = await new BackendSyncStatus({ openSearch, indexes, sqs, queues: { deadLetter: dlqUrl } }).status();
 */
export class BackendSyncStatus implements SyncStatusService {
  constructor(private readonly options: SyncStatusOptions) {}

  async status(): Promise<SyncStatus> {
    const [documents, queues, lastIndexedChange] = await Promise.all([
      settle('opensearch', () => this.documentCounts()),
      this.hasQueues() ? settle('sqs', () => this.queueDepths()) : Promise.resolve(null),
      settle('opensearch', () => this.lastIndexedChange()),
    ]);
    return {
      checkedAt: (this.options.now?.() ?? new Date()).toISOString(),
      runner: this.options.runner ? runnerPart(this.options.runner) : null,
      documents,
      queues,
      lastIndexedChange,
    };
  }

  private hasQueues(): boolean {
    return this.options.sqs !== undefined && Object.keys(this.options.queues ?? {}).length > 0;
  }

  private async documentCounts(): Promise<Record<string, number>> {
    const entries = await Promise.all(
      Object.entries(this.options.indexes.readAliases).map(async ([base, alias]) => {
        const response = await callBackend('opensearch', () => this.options.openSearch.count({ index: alias }));
        return [base, (response.body as { count: number }).count] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  private async queueDepths(): Promise<Record<string, number>> {
    const sqs = this.options.sqs as SQSClient;
    const entries = await Promise.all(
      Object.entries(this.options.queues ?? {}).map(async ([label, queueUrl]) => {
        const output = await callBackend('sqs', () =>
          sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] })),
        );
        return [label, Number(output.Attributes?.ApproximateNumberOfMessages ?? 0)] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  private async lastIndexedChange(): Promise<LastIndexedChange | null> {
    const aliases = Object.values(this.options.indexes.writeAliases);
    const response = await callBackend('opensearch', () =>
      this.options.openSearch.search({
        index: aliases.join(','),
        body: {
          size: 1,
          query: { exists: { field: 'ddbSync.indexedAt' } },
          sort: [{ 'ddbSync.indexedAt': { order: 'desc' } }],
          _source: ['ddbSync'],
        },
      }),
    );
    const hit = (response.body as unknown as LastChangeResponse).hits.hits[0];
    if (!hit?._source?.ddbSync) return null;
    const sync = hit._source.ddbSync;
    return {
      index: baseOf(hit._index, this.options.indexes),
      id: hit._id,
      indexedAt: sync.indexedAt,
      deleted: sync.deleted === true,
      eventName: sync.eventName,
      source: sync.source,
    };
  }
}

interface LastChangeResponse {
  readonly hits: {
    readonly hits: readonly {
      readonly _index: string;
      readonly _id: string;
      readonly _source?: {
        readonly ddbSync?: {
          readonly indexedAt: string;
          readonly deleted?: boolean;
          readonly eventName?: string;
          readonly source?: string;
        };
      };
    }[];
  };
}

/** `products-v1` → `products`: the panel speaks of base names, not physical indexes. */
function baseOf(physicalIndex: string, indexes: IndexNames): string {
  return Object.keys(indexes.readAliases).find((base) => physicalIndex === base || physicalIndex.startsWith(`${base}-v`)) ?? physicalIndex;
}

function runnerPart(runner: RunnerStatusSource): StatusPart<unknown> {
  try {
    return { ok: true, value: runner.status() };
  } catch (error) {
    return { ok: false, error: 'stream runner status unavailable', cause: (error as Error).message };
  }
}

async function settle<T>(backend: Backend, read: () => Promise<T>): Promise<StatusPart<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (error instanceof BackendUnavailableError) return { ok: false, error: error.message, cause: error.reason };
    return { ok: false, error: `${backend} error`, cause: error instanceof Error ? error.message : String(error) };
  }
}
