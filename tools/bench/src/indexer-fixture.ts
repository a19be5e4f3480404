import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SyncRouting } from '@ddb-os/sync-config';
import type { Client } from '@opensearch-project/opensearch';
import { benchRouting, type BenchIndexNames, type BenchSyncName } from './bench-definition';
import { indexerVariables } from './lambda';
import { loadHandler, openSearchClient, sqsClient, stackEndpoints, uniqueName, type StreamHandler } from './local';
import { createQueue, deleteIndexes, deleteQueue } from './resources';

/** What a bench needs to run the indexer against the local stack: clients, a dead-letter queue and the indexer's variables. */
export interface IndexerFixture {
  readonly endpoints: ReturnType<typeof stackEndpoints>;
  readonly sqs: SQSClient;
  readonly openSearch: Client;
  readonly dlqUrl: string;
  /** The bench sync's routing (routes, document shapes, mappings, `pk`/`sk` keys): what the indexer plans with. */
  readonly routing: SyncRouting;
  /** The variables the indexer reads: the sync's name, its indexes, this queue, plus `extra`. */
  readonly variables: Record<string, string>;
  /** Sets {@link variables} in this process, then loads the handler (`path#export`) that reads them at cold start. */
  loadIndexer(handler: string): StreamHandler;
  /** Deletes the indexes of the routes (and `otherIndexes`) and the queue, to leave the shared stack as it was. */
  cleanUp(): Promise<void>;
}

/**
 * The sync of the bench's definition the indexer serves and its index names, the name the queue's unique name starts
 * with, and indexes the bench creates besides.
 */
export interface IndexerFixtureSettings {
  readonly sync: BenchSyncName;
  readonly indexes: BenchIndexNames;
  readonly dlqPrefix: string;
  readonly otherIndexes?: readonly string[];
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * Creates the dead-letter queue and the variables of an indexer serving a sync of the bench's definition, for a
 * handler in this process ({@link IndexerFixture.loadIndexer}) or in a child's environment.
 *
 * @example
 * const fixture = await startIndexerFixture({ sync: 'bench-reviews', indexes: { index: uniqueName('bench-tp') }, dlqPrefix: 'bench-tp-dlq' });
 * const handler = fixture.loadIndexer(DEFAULT_HANDLER);
 * try { ... } finally { await fixture.cleanUp(); }
 */
export async function startIndexerFixture(settings: IndexerFixtureSettings): Promise<IndexerFixture> {
  const endpoints = stackEndpoints();
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const dlqUrl = await createQueue(sqs, uniqueName(settings.dlqPrefix));
  const routing = benchRouting(settings.sync, settings.indexes);
  const variables = indexerVariables({
    openSearchNode: endpoints.opensearch,
    syncName: settings.sync,
    indexes: settings.indexes,
    dlqUrl,
    sqsEndpoint: endpoints.sqs,
    ...(settings.extra ? { extra: settings.extra } : {}),
  });
  const indexes = [...new Set(routing.routes.map((route) => route.index)), ...(settings.otherIndexes ?? [])];
  const cleanUp = async (): Promise<void> => {
    for (const index of indexes) await deleteIndexes(openSearch, index);
    await deleteQueue(sqs, dlqUrl);
  };
  const loadIndexer = (handler: string): StreamHandler => {
    Object.assign(process.env, variables);
    return loadHandler(handler);
  };
  return { endpoints, sqs, openSearch, dlqUrl, routing, variables, loadIndexer, cleanUp };
}
