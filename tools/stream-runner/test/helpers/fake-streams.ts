import { compareSequenceNumbers } from '@ddb-os/stream-decoding';
import type {
  OnFailureDestination,
  OnFailureRecord,
  ShardDescription,
  ShardIteratorRequest,
  StreamRecord,
  StreamsApi,
  TablesApi,
} from '../../src/types';

interface FakeShard {
  description: ShardDescription;
  records: StreamRecord[];
  /** Index of the first record still retained (older ones were trimmed). */
  trimmedBefore: number;
}

const awsError = (name: string, message = name): Error => Object.assign(new Error(message), { name });

/**
 * In-memory DynamoDB Streams with real semantics where moto has none: several shards with lineage,
 * closing, paginated DescribeStream, trimming and injectable errors.
 */
export class FakeStreams implements StreamsApi {
  readonly shards = new Map<string, FakeShard>();
  readonly calls: string[] = [];
  /** Every GetRecords that returned: when (Date.now()), the limit asked and how many records came back. */
  readonly reads: { atMs: number; limit: number; returned: number }[] = [];
  private readonly iterators = new Map<string, { shardId: string; index: number }>();
  private readonly injected: { operation: 'getRecords' | 'getShardIterator'; error: Error }[] = [];
  private nextIterator = 0;

  constructor(private readonly describePageSize = 100) {}

  addShard(description: ShardDescription, records: StreamRecord[] = []): this {
    this.shards.set(description.shardId, { description, records: [...records], trimmedBefore: 0 });
    return this;
  }

  put(shardId: string, ...records: StreamRecord[]): void {
    this.shardOf(shardId).records.push(...records);
  }

  close(shardId: string): void {
    const shard = this.shardOf(shardId);
    shard.description = { ...shard.description, endingSequenceNumber: '999999' };
  }

  trim(shardId: string, count: number): void {
    this.shardOf(shardId).trimmedBefore = count;
  }

  /** The next call of `operation` throws an AWS error of that name. */
  failNext(operation: 'getRecords' | 'getShardIterator', errorName: string): void {
    this.injected.push({ operation, error: awsError(errorName) });
  }

  async describeStream({ exclusiveStartShardId }: { streamArn: string; exclusiveStartShardId?: string | undefined }) {
    this.calls.push('describeStream');
    const all = [...this.shards.values()].map((shard) => shard.description);
    const from = exclusiveStartShardId === undefined ? 0 : all.findIndex((shard) => shard.shardId === exclusiveStartShardId) + 1;
    const page = all.slice(from, from + this.describePageSize);
    const more = from + this.describePageSize < all.length;
    return { shards: page, lastEvaluatedShardId: more ? page[page.length - 1]?.shardId : undefined, streamStatus: 'ENABLED' };
  }

  async getShardIterator({ shardId, position }: { streamArn: string; shardId: string; position: ShardIteratorRequest }) {
    this.calls.push(`getShardIterator:${shardId}:${position.type}${'sequenceNumber' in position ? `:${position.sequenceNumber}` : ''}`);
    this.throwInjected('getShardIterator');
    const shard = this.shards.get(shardId);
    if (!shard) throw awsError('ResourceNotFoundException', `Shard ${shardId} does not exist`);
    const index = this.startIndex(shard, position);
    const id = `iterator-${(this.nextIterator += 1)}`;
    this.iterators.set(id, { shardId, index });
    return id;
  }

  async getRecords({ shardIterator, limit }: { shardIterator: string; limit: number }) {
    this.throwInjected('getRecords');
    const state = this.iterators.get(shardIterator);
    if (!state) throw awsError('ExpiredIteratorException');
    const shard = this.shardOf(state.shardId);
    if (state.index < shard.trimmedBefore) throw awsError('TrimmedDataAccessException');
    const records = shard.records.slice(state.index, state.index + limit);
    this.reads.push({ atMs: Date.now(), limit, returned: records.length });
    const nextIndex = state.index + records.length;
    const drained = shard.description.endingSequenceNumber !== undefined && nextIndex >= shard.records.length;
    if (drained) return { records, nextShardIterator: undefined };
    const id = `iterator-${(this.nextIterator += 1)}`;
    this.iterators.set(id, { shardId: state.shardId, index: nextIndex });
    return { records, nextShardIterator: id };
  }

  /** Forgets every issued iterator, as if they all expired. */
  expireIterators(): void {
    this.iterators.clear();
  }

  private startIndex(shard: FakeShard, position: ShardIteratorRequest): number {
    if (!('sequenceNumber' in position)) return position.type === 'TRIM_HORIZON' ? shard.trimmedBefore : shard.records.length;
    const retained = shard.records.slice(shard.trimmedBefore);
    const oldest = retained[0]?.dynamodb?.SequenceNumber;
    if (oldest !== undefined && compareSequenceNumbers(position.sequenceNumber, oldest) < 0 && shard.trimmedBefore > 0) {
      throw awsError('TrimmedDataAccessException');
    }
    const after = position.type === 'AFTER_SEQUENCE_NUMBER';
    const index = shard.records.findIndex((record) => {
      const order = compareSequenceNumbers(record.dynamodb?.SequenceNumber ?? '0', position.sequenceNumber);
      return after ? order > 0 : order >= 0;
    });
    return index === -1 ? shard.records.length : index;
  }

  private throwInjected(operation: 'getRecords' | 'getShardIterator'): void {
    const at = this.injected.findIndex((entry) => entry.operation === operation);
    if (at === -1) return;
    const [entry] = this.injected.splice(at, 1);
    if (entry) throw entry.error;
  }

  private shardOf(shardId: string): FakeShard {
    const shard = this.shards.get(shardId);
    if (!shard) throw new Error(`test bug: no shard ${shardId}`);
    return shard;
  }
}

export const fakeTables = (streamArn: string | undefined): TablesApi => ({ latestStreamArn: async () => streamArn });

/** An on-failure destination that keeps what it receives; can refuse the first `refusals` sends. */
export function capturingDestination(refusals = 0): OnFailureDestination & { received: OnFailureRecord[]; attempts: number } {
  let remainingRefusals = refusals;
  const destination = {
    description: 'memory',
    received: [] as OnFailureRecord[],
    attempts: 0,
    async send(record: OnFailureRecord) {
      destination.attempts += 1;
      if (remainingRefusals > 0) {
        remainingRefusals -= 1;
        throw new Error('queue unavailable');
      }
      destination.received.push(record);
    },
  };
  return destination;
}
