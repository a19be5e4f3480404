import type { ShardDescription, ShardIteratorRequest, StartPosition } from './types';

export interface LineageProgress {
  /** Shards whose records were all processed (closed and drained, or skipped). */
  readonly finished: ReadonlySet<string>;
  /** Shards that have a worker (running or done). */
  readonly started: ReadonlySet<string>;
}

/**
 * The shards that may start now, parents before children: a shard starts only once its parent
 * is finished, or when the parent is no longer described (trimmed away), so the records of one
 * item are read in order across a split.
 * @example shardsReadyToStart([{ shardId: 'a' }, { shardId: 'b', parentShardId: 'a' }], { finished: new Set(), started: new Set() }) // [{ shardId: 'a' }]
 */
export function shardsReadyToStart(shards: readonly ShardDescription[], progress: LineageProgress): ShardDescription[] {
  const described = new Set(shards.map((shard) => shard.shardId));
  const parentDone = (parentShardId: string | undefined): boolean =>
    parentShardId === undefined || progress.finished.has(parentShardId) || !described.has(parentShardId);
  return shards.filter(
    (shard) => !progress.started.has(shard.shardId) && !progress.finished.has(shard.shardId) && parentDone(shard.parentShardId),
  );
}

/** Merges a fresh DescribeStream result into the known shards (a shard may have closed since). */
export function mergeShards(known: readonly ShardDescription[], described: readonly ShardDescription[]): ShardDescription[] {
  const byId = new Map(known.map((shard) => [shard.shardId, shard] as const));
  for (const shard of described) byId.set(shard.shardId, { ...byId.get(shard.shardId), ...shard });
  return [...byId.values()];
}

export interface ShardStartContext {
  /** Checkpointed sequence number of this shard, if any. */
  readonly checkpoint: string | undefined;
  readonly startPosition: StartPosition;
  /** True when the checkpoint file knew nothing of this stream when the runner started. */
  readonly streamIsNew: boolean;
  /** True when the shard was in the first DescribeStream of this run. */
  readonly describedAtStartup: boolean;
}

/** Where a shard starts reading, or `skip` when it holds nothing to process. */
export type ShardStart = ShardIteratorRequest | { readonly type: 'skip' };

/**
 * Where a shard starts: after its checkpoint; for a stream met for the first time, at the configured
 * start position (with LATEST, shards already closed are skipped); otherwise — a shard created by a
 * split while the runner was away or running — at TRIM_HORIZON, so no record of it is lost.
 * @example shardStart({ endingSequenceNumber: undefined, shardId: 's' }, { checkpoint: '42', startPosition: 'LATEST', streamIsNew: false, describedAtStartup: true }) // { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '42' }
 */
export function shardStart(shard: ShardDescription, context: ShardStartContext): ShardStart {
  if (context.checkpoint !== undefined) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: context.checkpoint };
  const useLatest = context.startPosition === 'LATEST' && context.streamIsNew && context.describedAtStartup;
  if (!useLatest) return { type: 'TRIM_HORIZON' };
  return shard.endingSequenceNumber === undefined ? { type: 'LATEST' } : { type: 'skip' };
}
