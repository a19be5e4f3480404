import type { SQSClient } from '@aws-sdk/client-sqs';
import type { IndexRoute } from '@ddb-os/opensearch-mapping';
import type { Client } from '@opensearch-project/opensearch';
import { indexerVariables } from './lambda';
import { loadHandler, openSearchClient, sqsClient, stackEndpoints, uniqueName, type StreamHandler } from './local';
import { createQueue, deleteIndexes, deleteQueue } from './resources';

/** What a bench needs to run the indexer against the local stack: clients, a dead-letter queue and the indexer's variables. */
export interface IndexerFixture {
  readonly endpoints: ReturnType<typeof stackEndpoints>;
  readonly sqs: SQSClient;
  readonly openSearch: Client;
  readonly dlqUrl: string;
  /** The variables the indexer reads at cold start: these routes, `pk`/`sk` keys, this queue, plus `extra`. */
  readonly variables: Record<string, string>;
  /** Sets {@link variables} in this process, then loads the handler (`path#export`) that reads them at cold start. */
  loadIndexer(handler: string): StreamHandler;
  /** Deletes the indexes of the routes (and `otherIndexes`) and the queue, to leave the shared stack as it was. */
  cleanUp(): Promise<void>;
}

/** The routes the indexer writes, the name the queue's unique name starts with, and indexes the bench creates besides. */
export interface IndexerFixtureSettings {
  readonly routes: readonly IndexRoute[];
  readonly dlqPrefix: string;
  readonly otherIndexes?: readonly string[];
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * Creates the dead-letter queue and the variables of an indexer over `routes`, for a handler in this process
 * ({@link IndexerFixture.loadIndexer}) or in a child's environment.
 *
 * @example
 * const fixture = await startIndexerFixture({ routes, dlqPrefix: 'bench-tp-dlq' });
 * const handler = fixture.loadIndexer('apps/indexer/src/main.ts#handler');
 * try { ... } finally { await fixture.cleanUp(); }
 */
export async function startIndexerFixture(settings: IndexerFixtureSettings): Promise<IndexerFixture> {
  const endpoints = stackEndpoints();
  const sqs = sqsClient();
  const openSearch = openSearchClient();
  const dlqUrl = await createQueue(sqs, uniqueName(settings.dlqPrefix));
  const variables = indexerVariables({
    openSearchNode: endpoints.opensearch,
    routes: settings.routes,
    keyAttributes: ['pk', 'sk'],
    dlqUrl,
    sqsEndpoint: endpoints.sqs,
    ...(settings.extra ? { extra: settings.extra } : {}),
  });
  const indexes = [...settings.routes.map((route) => route.index), ...(settings.otherIndexes ?? [])];
  const cleanUp = async (): Promise<void> => {
    for (const index of indexes) await deleteIndexes(openSearch, index);
    await deleteQueue(sqs, dlqUrl);
  };
  const loadIndexer = (handler: string): StreamHandler => {
    Object.assign(process.env, variables);
    return loadHandler(handler);
  };
  return { endpoints, sqs, openSearch, dlqUrl, variables, loadIndexer, cleanUp };
}
