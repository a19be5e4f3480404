import { CustomResource, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { InvalidPropError } from './errors';
import type { TableSource } from './table-source';
import type { OnFailureDestination, SyncMode, SyncTableProps } from './types';

/** DynamoDB Streams throttles more than two simultaneous readers per shard, and more than one on a global table. */
export const MAX_STREAM_READERS = { table: 2, globalTable: 1 } as const;

/** What reads the table's stream in a configuration. */
export interface StreamReaderCount {
  /** One entry per reader, e.g. `indexer (event source mapping)`. */
  readonly readers: readonly string[];
  readonly globalTable: boolean;
  readonly limit: number;
}

/**
 * The readers a configuration puts on the stream: the function of the event source mapping (the indexer, or the
 * stream reader in buffered mode), the failure handler when it re-reads failed ranges (SQS on-failure destination;
 * with S3 it reads the failed batch from the object Lambda writes), and the readers the team declares.
 */
export function countStreamReaders(
  mode: SyncMode,
  onFailureDestination: OnFailureDestination,
  otherStreamReaders: number,
  globalTable: boolean,
): StreamReaderCount {
  const readers = [
    mode === 'buffered' ? 'stream reader (event source mapping)' : 'indexer (event source mapping)',
    ...(onFailureDestination === 'sqs' ? ['failure handler (re-reads failed ranges from the stream)'] : []),
    ...Array.from({ length: otherStreamReaders }, (_, position) => `other reader ${position + 1} (otherStreamReaders)`),
  ];
  return { readers, globalTable, limit: globalTable ? MAX_STREAM_READERS.globalTable : MAX_STREAM_READERS.table };
}

/** Throws when the configuration puts more readers on the stream than DynamoDB Streams serves without throttling. */
export function requireStreamReadersFit(count: StreamReaderCount, onFailureDestination: OnFailureDestination): void {
  if (count.readers.length <= count.limit) return;
  const kind = count.globalTable ? 'a global table (replicas)' : 'a table';
  const problem = `puts ${count.readers.length} readers on the stream (${count.readers.join(', ')}); DynamoDB Streams allows ${count.limit} per shard for ${kind}`;
  if (onFailureDestination === 'sqs') {
    throw new InvalidPropError(
      'sync',
      `failures.destination ${problem}: set failures: { destination: 's3' } in the sync definition, so the failure handler reads failed batches from S3 instead of the stream`,
    );
  }
  throw new InvalidPropError(
    'otherStreamReaders',
    `${problem}: move the other readers off this stream (e.g. subscribe them to the buffer in mode 'buffered')`,
  );
}

/**
 * Whether the synced table has replicas: declared by the definition for an existing table
 * (`table.existing.globalTable`), detected for the table it creates (`tableProps.replicationRegions`).
 */
export function resolveGlobalTable(source: TableSource, tableProps: SyncTableProps | undefined): boolean {
  return source.declaredGlobal || (tableProps?.replicationRegions?.length ?? 0) > 0 || hasReplicas(source.table);
}

function hasReplicas(table: dynamodb.ITable): boolean {
  const resource = table.node.defaultChild;
  if (resource instanceof dynamodb.CfnGlobalTable) {
    const replicas: unknown = Stack.of(table).resolve(resource.replicas);
    return Token.isUnresolved(replicas) || (Array.isArray(replicas) && replicas.length > 1);
  }
  // Table (v1) with replicationRegions: one Custom::DynamoDBReplica per region.
  return table.node.children.some((child) => child instanceof CustomResource && child.node.id.startsWith('Replica'));
}

/** Throws unless `otherStreamReaders` is a whole number from 0 to 2. */
export function requireOtherStreamReaders(value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > MAX_STREAM_READERS.table) {
    throw new InvalidPropError('otherStreamReaders', `must be an integer from 0 to ${MAX_STREAM_READERS.table}, got ${value}`);
  }
}
