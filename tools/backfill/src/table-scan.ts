import {
  DescribeTableCommand,
  ScanCommand,
  type AttributeValue,
  type ScanCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { JsonObject, JsonValue } from '@ddb-os/stream-decoding';
import { CorruptCheckpointError, InvalidOptionsError } from './errors';
import { TokenBucket } from './rate-limit';
import type { SegmentPosition, SegmentSource, SourcePage } from './types';

/** Options of {@link scanSegments}. */
export interface ScanOptions {
  readonly dynamo: DynamoDBClient;
  readonly table: string;
  readonly totalSegments: number;
  /** Scan `Limit` (items per page); default: DynamoDB's 1 MB pages. */
  readonly pageSize?: number;
  /** Attributes to read (keys and routing attributes for counting); default: whole items. */
  readonly projection?: readonly string[];
  /** Read capacity limiter shared by every segment. */
  readonly limiter?: TokenBucket;
  /** Clock in epoch ms (the read time of each page). @default Date.now */
  readonly now?: () => number;
}

/**
 * The segments of a strongly consistent parallel Scan (`Segment`/`TotalSegments`, `ConsistentRead: true`,
 * `ReturnConsumedCapacity: TOTAL`). Each page carries the wall-clock time taken just before its request was
 * sent, the order key's read time (docs/consistency.md); a segment resumes from a checkpointed
 * `LastEvaluatedKey`. Between pages each segment waits for the read-capacity limiter.
 *
 * @example
 * for (const segment of scanSegments({ dynamo, table: 'orders', totalSegments: 4 }))
 *   for await (const page of segment.pages(undefined, signal)) handle(page);
 */
export function scanSegments(options: ScanOptions): SegmentSource[] {
  return Array.from({ length: options.totalSegments }, (_unused, segment) => ({
    id: String(segment),
    estimatedItems: undefined,
    pages: (from: SegmentPosition | undefined, signal: AbortSignal) => scanPages(options, segment, from, signal),
  }));
}

async function* scanPages(
  options: ScanOptions,
  segment: number,
  from: SegmentPosition | undefined,
  signal: AbortSignal,
): AsyncGenerator<SourcePage> {
  const now = options.now ?? Date.now;
  let position: SegmentPosition | undefined = from ?? undefined;
  let estimate = 1;
  const projection = projectionOf(options.projection);
  while (!signal.aborted) {
    await options.limiter?.take(estimate, signal);
    if (signal.aborted) return;
    const readAtMs = now();
    const response: ScanCommandOutput = await options.dynamo.send(
      new ScanCommand({
        TableName: options.table,
        Segment: segment,
        TotalSegments: options.totalSegments,
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
        ExclusiveStartKey: position === undefined ? undefined : decodeKey(position),
        Limit: options.pageSize,
        ...projection,
      }),
    );
    const consumedRcu = response.ConsumedCapacity?.CapacityUnits ?? 0;
    options.limiter?.settle(estimate, consumedRcu);
    estimate = Math.max(1, consumedRcu);
    const next: SegmentPosition | null = response.LastEvaluatedKey === undefined ? null : encodeKey(response.LastEvaluatedKey);
    yield { readAtMs, items: response.Items ?? [], next, consumedRcu, startedFrom: position };
    if (next === null) return;
    position = next;
  }
}

function projectionOf(attributes: readonly string[] | undefined): {
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
} {
  if (attributes === undefined || attributes.length === 0) return {};
  const names = Object.fromEntries([...new Set(attributes)].map((name, position) => [`#a${position}`, name]));
  return { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
}

/** A `LastEvaluatedKey` as JSON for the checkpoint (binary values as base64 text). */
export function encodeKey(key: Record<string, AttributeValue>): JsonObject {
  const encoded: JsonObject = {};
  for (const [name, value] of Object.entries(key)) {
    if (value.S !== undefined) encoded[name] = { S: value.S };
    else if (value.N !== undefined) encoded[name] = { N: value.N };
    else if (value.B !== undefined) encoded[name] = { B: Buffer.from(value.B).toString('base64') };
    else throw new InvalidOptionsError('scan', [`LastEvaluatedKey.${name}: unexpected key type ${Object.keys(value).join(',')}`]);
  }
  return encoded;
}

/** The `ExclusiveStartKey` of a checkpointed position (inverse of {@link encodeKey}). */
export function decodeKey(position: SegmentPosition): Record<string, AttributeValue> {
  if (position === null || typeof position !== 'object' || Array.isArray(position)) {
    throw new CorruptCheckpointError('(checkpoint)', `a Scan position must be a key object, got ${JSON.stringify(position)}`);
  }
  const key: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(position)) key[name] = decodeKeyValue(name, value);
  return key;
}

function decodeKeyValue(name: string, value: JsonValue): AttributeValue {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if (typeof value['S'] === 'string') return { S: value['S'] };
    if (typeof value['N'] === 'string') return { N: value['N'] };
    if (typeof value['B'] === 'string') return { B: Buffer.from(value['B'], 'base64') };
  }
  throw new CorruptCheckpointError('(checkpoint)', `key attribute "${name}" of a Scan position is not {S|N|B}: ${JSON.stringify(value)}`);
}

/** What the backfill and verify need to know about a table. */
export interface TableInfo {
  /** DynamoDB's approximate item count (refreshed about every six hours). */
  readonly itemCount: number | undefined;
  /** Partition key, then sort key. */
  readonly keyAttributes: readonly string[];
  /** DynamoDB type of each key attribute. */
  readonly keyTypes: Readonly<Record<string, KeyType>>;
  /** Provisioned read capacity units; `undefined` for an on-demand table. */
  readonly provisionedReadCapacity: number | undefined;
}

/** Scalar types a key attribute can have. */
export type KeyType = 'S' | 'N' | 'B';

/** DescribeTable, reduced to the item count and key schema. */
export async function describeTable(dynamo: DynamoDBClient, table: string): Promise<TableInfo> {
  const { Table: description } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
  const keySchema = description?.KeySchema ?? [];
  const hash = keySchema.find((element) => element.KeyType === 'HASH')?.AttributeName;
  const range = keySchema.find((element) => element.KeyType === 'RANGE')?.AttributeName;
  const keyAttributes = [hash, range].filter((name): name is string => name !== undefined);
  const keyTypes: Record<string, KeyType> = {};
  for (const definition of description?.AttributeDefinitions ?? []) {
    const type = definition.AttributeType;
    if (
      definition.AttributeName !== undefined &&
      keyAttributes.includes(definition.AttributeName) &&
      (type === 'S' || type === 'N' || type === 'B')
    ) {
      keyTypes[definition.AttributeName] = type;
    }
  }
  const onDemand = description?.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST';
  const provisioned = description?.ProvisionedThroughput?.ReadCapacityUnits;
  return {
    itemCount: description?.ItemCount,
    keyAttributes,
    keyTypes,
    provisionedReadCapacity: !onDemand && provisioned !== undefined && provisioned > 0 ? provisioned : undefined,
  };
}

/**
 * The read capacity units per second a Scan may use: `--max-rcu`, or `--max-rcu-percent` of the table's provisioned
 * read capacity; `undefined` when neither is given. An on-demand table has no provisioned capacity to take a share of.
 *
 * @example
 * readCapacityLimit('orders', { provisionedReadCapacity: 400 }, { maxRcuPercent: 25 }); // 100
 */
export function readCapacityLimit(
  table: string,
  info: Pick<TableInfo, 'provisionedReadCapacity'>,
  limits: { readonly maxRcu?: number; readonly maxRcuPercent?: number },
): number | undefined {
  if (limits.maxRcuPercent === undefined) return limits.maxRcu;
  if (info.provisionedReadCapacity === undefined) {
    throw new InvalidOptionsError('read capacity', [
      `--max-rcu-percent: table ${table} is on-demand (no provisioned read capacity); give --max-rcu <units per second> instead`,
    ]);
  }
  return (info.provisionedReadCapacity * limits.maxRcuPercent) / 100;
}

/** The token bucket that keeps a Scan under {@link readCapacityLimit}, or `undefined` when there is no limit. */
export function readCapacityLimiter(
  table: string,
  info: Pick<TableInfo, 'provisionedReadCapacity'>,
  limits: { readonly maxRcu?: number; readonly maxRcuPercent?: number },
): TokenBucket | undefined {
  const rcu = readCapacityLimit(table, info, limits);
  return rcu === undefined ? undefined : new TokenBucket({ ratePerSecond: rcu });
}

/** Throws unless the sync's key attributes are the table's own key: documents ids depend on it. */
export function assertKeyAttributes(table: string, info: TableInfo, configured: readonly string[]): void {
  if (info.keyAttributes.join(',') !== configured.join(',')) {
    throw new InvalidOptionsError('sync target', [
      `table: the sync's key attributes are "${configured.join(',')}" but table ${table} has the key "${info.keyAttributes.join(',')}" (declare the table's own key in the sync definition, table.create)`,
    ]);
  }
}
