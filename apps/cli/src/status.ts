import { DescribeTableCommand, DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { countDocuments, syncTableName } from '@ddb-os/backfill';
import { openSearchClientOf } from '@ddb-os/indexing-core';
import { awsClientConfig } from '@ddb-os/node-io';
import { readAlias, writeAlias } from '@ddb-os/opensearch-mapping';
import { CheckpointStore, DEFAULTS as RUNNER_DEFAULTS } from '@ddb-os/stream-runner';
import { loadSyncTargetConfig } from '@ddb-os/sync-config';
import { SYNC_ENV } from '@ddb-os/sync-contracts';
import type { ResolvedSync } from '@ddb-os/sync-definition';
import type { Client } from '@opensearch-project/opensearch';
import type { Command } from 'commander';
import path from 'node:path';
import { EXIT, EXIT_HELP } from './constants';
import type { CommandContext } from './program';

/** What `ddb-os status` found. */
export interface SyncStatus {
  readonly sync: { readonly name: string; readonly fingerprint: string; readonly mode: string };
  readonly table: TableStatus;
  readonly indexes: readonly IndexStatus[];
  readonly queues: readonly QueueStatus[];
  readonly checkpoints: CheckpointStatus | undefined;
  /** What the sync needs and does not exist. */
  readonly missing: readonly string[];
}

export type TableStatus =
  | { readonly name: undefined; readonly reason: string }
  | { readonly name: string; readonly exists: false; readonly reason: string }
  | {
      readonly name: string;
      readonly exists: true;
      readonly status: string | undefined;
      readonly keyAttributes: readonly string[];
      readonly approximateItems: number | undefined;
      readonly stream: StreamStatus | undefined;
    };

export interface StreamStatus {
  readonly arn: string;
  readonly viewType: string | undefined;
  readonly status: string | undefined;
  readonly openShards: number;
  readonly closedShards: number;
  readonly shardIds: readonly string[];
}

export type IndexStatus =
  | { readonly index: string; readonly exists: false; readonly reason?: string }
  | {
      readonly index: string;
      readonly exists: true;
      /** Physical indexes behind the read alias. */
      readonly readIndexes: readonly string[];
      readonly writeIndexes: readonly string[];
      /** Live documents (tombstones hidden) through the read alias. */
      readonly documents: number;
    };

export interface QueueStatus {
  readonly role: 'dead-letter' | 'on-failure';
  readonly url: string;
  readonly visible?: number;
  readonly inFlight?: number;
  readonly error?: string;
}

export interface CheckpointStatus {
  readonly file: string;
  readonly shards: readonly {
    readonly shardId: string;
    readonly sequenceNumber?: string;
    readonly finished?: boolean;
    readonly updatedAt: string;
  }[];
}

interface StatusOptions {
  readonly table?: string;
  readonly dlqUrl?: string;
  readonly onFailureQueueUrl?: string;
  readonly checkpointFile?: string;
  readonly json?: boolean;
}

/** `ddb-os status`: what exists of a sync — table, stream, indexes and aliases with counts, queue depths, runner checkpoints. */
export function addStatusCommand(program: Command, commands: CommandContext, setExitCode: (code: number) => void): void {
  program
    .command('status')
    .description(
      "show what exists of the sync: table, stream, indexes (aliases, live documents), failure queues' depth, the local runner's checkpoints",
    )
    .option('--table <name>', "the sync's table (default: the existing table its definition names)")
    .option('--dlq-url <url>', `dead-letter queue of poison records (default ${SYNC_ENV.deadLetterQueueUrl})`)
    .option('--on-failure-queue-url <url>', 'on-failure queue of given-up batches')
    .option('--checkpoint-file <path>', `the local runner's checkpoints (default ${RUNNER_DEFAULTS.checkpointDirectory}/<table>.json)`)
    .option('--json', 'one JSON object instead of text')
    .addHelpText(
      'after',
      `
Examples:
  $ npx ddb-os status --sync demo --table demo-items
  $ npx ddb-os status --sync demo --table demo-items --dlq-url http://127.0.0.1:9324/000000000000/indexer-dlq --json

Exit code 1 when something the sync needs does not exist (table, stream, an index).
${EXIT_HELP}
`,
    )
    .action(async (options: StatusOptions) => {
      const status = await syncStatus(commands.sync(), options, commands);
      commands.out.write(options.json === true ? `${JSON.stringify(status)}\n` : formatStatus(status));
      setExitCode(status.missing.length > 0 ? EXIT.attention : EXIT.ok);
    });
}

/** Reads the status of a sync (read-only: Describe*, alias and count requests, queue attributes, the checkpoint file). */
export async function syncStatus(
  sync: ResolvedSync,
  options: StatusOptions,
  commands: Pick<CommandContext, 'env' | 'cwd'>,
): Promise<SyncStatus> {
  const { env } = commands;
  const dynamo = new DynamoDBClient(awsClientConfig(env['DYNAMODB_ENDPOINT'], env));
  const streams = new DynamoDBStreamsClient(awsClientConfig(env['DYNAMODB_ENDPOINT'], env));
  const sqs = new SQSClient(awsClientConfig(env['SQS_ENDPOINT'], env));
  try {
    const table = await tableStatus(options.table ?? syncTableName(sync), dynamo, streams);
    const keyAttributes = sync.declaredKeyAttributes ?? (table.name !== undefined && table.exists ? table.keyAttributes : undefined);
    const indexes = await indexesStatus(sync, keyAttributes, env);
    const queues = await queuesStatus(options.dlqUrl ?? env[SYNC_ENV.deadLetterQueueUrl], options.onFailureQueueUrl, sqs);
    const checkpoints = await checkpointStatus(table, options.checkpointFile, commands.cwd);
    return {
      sync: { name: sync.name, fingerprint: sync.fingerprint, mode: sync.mode },
      table,
      indexes,
      queues,
      checkpoints,
      missing: missingParts(table, indexes),
    };
  } finally {
    dynamo.destroy();
    streams.destroy();
    sqs.destroy();
  }
}

async function tableStatus(name: string | undefined, dynamo: DynamoDBClient, streams: DynamoDBStreamsClient): Promise<TableStatus> {
  if (name === undefined) return { name, reason: 'the definition creates the table: give its deployed name with --table' };
  let table: TableDescription | undefined;
  try {
    table = (await dynamo.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    return { name, exists: false, reason: (error as Error).message };
  }
  const keyOf = (type: string) => table?.KeySchema?.find((key) => key.KeyType === type)?.AttributeName;
  const keyAttributes = [keyOf('HASH'), keyOf('RANGE')].filter((key): key is string => key !== undefined);
  const streamArn = table?.LatestStreamArn;
  return {
    name,
    exists: true,
    status: table?.TableStatus,
    keyAttributes,
    approximateItems: table?.ItemCount,
    stream:
      streamArn === undefined || table?.StreamSpecification?.StreamEnabled === false ? undefined : await streamStatus(streamArn, streams),
  };
}

async function streamStatus(arn: string, streams: DynamoDBStreamsClient): Promise<StreamStatus> {
  const shards: { readonly ShardId?: string; readonly SequenceNumberRange?: { readonly EndingSequenceNumber?: string } }[] = [];
  let description;
  let exclusiveStartShardId: string | undefined;
  do {
    description = (await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: exclusiveStartShardId })))
      .StreamDescription;
    shards.push(...(description?.Shards ?? []));
    exclusiveStartShardId = description?.LastEvaluatedShardId;
  } while (exclusiveStartShardId !== undefined);
  const closed = shards.filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber !== undefined).length;
  return {
    arn,
    viewType: description?.StreamViewType,
    status: description?.StreamStatus,
    openShards: shards.length - closed,
    closedShards: closed,
    shardIds: shards.flatMap((shard) => (shard.ShardId ? [shard.ShardId] : [])),
  };
}

async function indexesStatus(
  sync: ResolvedSync,
  keyAttributes: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
): Promise<IndexStatus[]> {
  const indexes = [...new Set(sync.routes.map((route) => route.index))];
  if (keyAttributes === undefined)
    return indexes.map((index) => ({ index, exists: false, reason: "not checked: the table's key attributes are unknown (no table)" }));
  const target = loadSyncTargetConfig(sync.routingFor(keyAttributes), env, 'status');
  const client = openSearchClientOf(target);
  try {
    return await Promise.all(indexes.map((index) => indexStatus(client, index)));
  } finally {
    await client.close();
  }
}

async function indexStatus(client: Client, index: string): Promise<IndexStatus> {
  const [readIndexes, writeIndexes] = await Promise.all([aliasTargets(client, readAlias(index)), aliasTargets(client, writeAlias(index))]);
  if (readIndexes.length === 0 && writeIndexes.length === 0) return { index, exists: false };
  return { index, exists: true, readIndexes, writeIndexes, documents: await countDocuments(client, index) };
}

async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  const { body } = await client.indices.getAlias({ name: alias }, { ignore: [404] });
  if (typeof body !== 'object' || body === null || 'error' in body) return [];
  return Object.keys(body as Record<string, unknown>).sort();
}

async function queuesStatus(dlqUrl: string | undefined, onFailureUrl: string | undefined, sqs: SQSClient): Promise<QueueStatus[]> {
  const queues: { role: QueueStatus['role']; url: string }[] = [];
  if (dlqUrl) queues.push({ role: 'dead-letter', url: dlqUrl });
  if (onFailureUrl) queues.push({ role: 'on-failure', url: onFailureUrl });
  return Promise.all(
    queues.map(async ({ role, url }): Promise<QueueStatus> => {
      try {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return {
          role,
          url,
          visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
          inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        };
      } catch (error) {
        return { role, url, error: (error as Error).message };
      }
    }),
  );
}

async function checkpointStatus(table: TableStatus, file: string | undefined, cwd: string): Promise<CheckpointStatus | undefined> {
  if (table.name === undefined || !table.exists || table.stream === undefined) return undefined;
  const chosen = path.resolve(cwd, file ?? path.join(RUNNER_DEFAULTS.checkpointDirectory, `${table.name}.json`));
  const store = await CheckpointStore.open(chosen);
  const { arn, shardIds } = table.stream;
  if (!store.hasStream(arn)) return undefined;
  const shards = shardIds.flatMap((shardId) => {
    const checkpoint = store.get(arn, shardId);
    return checkpoint === undefined ? [] : [{ shardId, ...checkpoint }];
  });
  return { file: chosen, shards };
}

function missingParts(table: TableStatus, indexes: readonly IndexStatus[]): string[] {
  const missing: string[] = [];
  if (table.name === undefined) missing.push(`table: ${table.reason}`);
  else if (!table.exists) missing.push(`table ${table.name}: ${table.reason}`);
  else if (table.stream === undefined) missing.push(`stream of table ${table.name}: not enabled (NEW_AND_OLD_IMAGES is needed)`);
  for (const index of indexes) if (!index.exists) missing.push(`index ${index.index}${index.reason ? `: ${index.reason}` : ''}`);
  return missing;
}

/** The status as text, one line per part. */
export function formatStatus(status: SyncStatus): string {
  const lines = [`sync ${status.sync.name} (mode ${status.sync.mode}, fingerprint ${status.sync.fingerprint})`];
  const { table } = status;
  if (table.name === undefined) lines.push(`table: unknown: ${table.reason}`);
  else if (!table.exists) lines.push(`table ${table.name}: missing (${table.reason})`);
  else {
    lines.push(
      `table ${table.name}: ${table.status ?? '?'}, keys ${table.keyAttributes.join(', ')}, ~${table.approximateItems ?? '?'} items`,
    );
    const stream = table.stream;
    lines.push(
      stream === undefined
        ? '  stream: not enabled'
        : `  stream ${stream.arn}: ${stream.status ?? '?'}, ${stream.viewType ?? '?'}, ${stream.openShards} open / ${stream.closedShards} closed shards`,
    );
  }
  for (const index of status.indexes)
    lines.push(
      index.exists
        ? `index ${index.index}: ${index.documents} live documents; read alias → ${index.readIndexes.join(', ') || '(none)'}; write alias → ${index.writeIndexes.join(', ') || '(none)'}`
        : `index ${index.index}: missing${index.reason ? ` (${index.reason})` : ''}`,
    );
  for (const queue of status.queues)
    lines.push(
      queue.error === undefined
        ? `${queue.role} queue ${queue.url}: ${queue.visible} waiting, ${queue.inFlight} in flight`
        : `${queue.role} queue ${queue.url}: cannot read (${queue.error})`,
    );
  if (status.checkpoints === undefined) lines.push('runner checkpoints: none');
  else {
    lines.push(`runner checkpoints ${status.checkpoints.file}:`);
    for (const shard of status.checkpoints.shards)
      lines.push(`  ${shard.shardId}: ${shard.finished ? 'finished' : `at ${shard.sequenceNumber ?? '(start)'}`} (${shard.updatedAt})`);
  }
  if (status.missing.length > 0) lines.push(`missing: ${status.missing.join('; ')}`);
  return `${lines.join('\n')}\n`;
}
