import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Context } from 'aws-lambda';

export const TEST_STREAM_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/demo-items/stream/2026-11-26T00:00:00.000';

type Item = Record<string, unknown>;

export interface RecordSpec {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly keys: Item;
  readonly newItem?: Item;
  readonly oldItem?: Item;
  readonly sequenceNumber: bigint;
  readonly second: number;
}

const toImage = (item: Item): Record<string, AttributeValue> =>
  marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false }) as Record<string, AttributeValue>;

/** A stream record exactly as Lambda delivers it (images as AttributeValue JSON). */
export function lambdaRecord(spec: RecordSpec): DynamoDBRecord {
  return {
    eventID: `e-${spec.sequenceNumber}`,
    eventName: spec.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: TEST_STREAM_ARN,
    dynamodb: {
      ApproximateCreationDateTime: spec.second,
      Keys: toImage(spec.keys),
      ...(spec.newItem ? { NewImage: toImage(spec.newItem) } : {}),
      ...(spec.oldItem ? { OldImage: toImage(spec.oldItem) } : {}),
      SequenceNumber: String(spec.sequenceNumber).padStart(21, '0'),
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

export const lambdaEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** A Lambda context with a fixed time budget. */
export function lambdaContext(budgetMs = 60_000): Context {
  const deadline = Date.now() + budgetMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'indexer-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:indexer-test',
    memoryLimitInMB: '512',
    awsRequestId: `req-${Date.now()}`,
    logGroupName: '/aws/lambda/indexer-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * A fake shard for one test: hands out increasing sequence numbers and records the items' history
 * like DynamoDB would, so tests write `put`/`remove` and get matching INSERT/MODIFY/REMOVE records.
 */
export class ShardHistory {
  private sequence = 100_000_000_000_000_000_000n;
  private readonly items = new Map<string, Item>();
  readonly records: DynamoDBRecord[] = [];

  constructor(
    private readonly keyNames: readonly string[] = ['pk', 'sk'],
    public second = 1_790_000_000,
  ) {}

  put(item: Item): DynamoDBRecord {
    const id = this.idOf(item);
    const old = this.items.get(id);
    this.items.set(id, item);
    return this.append({ eventName: old ? 'MODIFY' : 'INSERT', keys: this.keysOf(item), newItem: item, ...(old ? { oldItem: old } : {}) });
  }

  remove(keys: Item): DynamoDBRecord | undefined {
    const id = this.idOf(keys);
    const old = this.items.get(id);
    if (!old) return undefined;
    this.items.delete(id);
    return this.append({ eventName: 'REMOVE', keys: this.keysOf(keys), oldItem: old });
  }

  /** The table's current state, keyed like `idOf`. */
  state(): ReadonlyMap<string, Item> {
    return new Map(this.items);
  }

  idOf(item: Item): string {
    return this.keyNames.map((name) => String(item[name])).join('\u0000');
  }

  private keysOf(item: Item): Item {
    return Object.fromEntries(this.keyNames.map((name) => [name, item[name]]));
  }

  private append(spec: Omit<RecordSpec, 'sequenceNumber' | 'second'>): DynamoDBRecord {
    this.sequence += 7n;
    const record = lambdaRecord({ ...spec, sequenceNumber: this.sequence, second: this.second });
    this.records.push(record);
    return record;
  }
}
