import type { CreatedTableDefinition, ExistingTableDefinition, ResolvedSync } from '@ddb-os/sync-definition';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { InvalidPropError } from './errors';
import type { SyncTableProps } from './types';

/** The table the sync reads, with what the construct needs to know about it. */
export interface TableSource {
  readonly table: dynamodb.ITable;
  readonly streamArn: string;
  /** The key attributes the definition declares (a created table); `undefined`: the functions read them at cold start. */
  readonly declaredKeys: readonly string[] | undefined;
  /** The table exists outside the deployment: its functions read its key schema with DescribeTable. */
  readonly existing: boolean;
  /** The definition declares the existing table global (replicas: one stream reader per shard). */
  readonly declaredGlobal: boolean;
}

const REQUIRED_VIEW_TYPE = dynamodb.StreamViewType.NEW_AND_OLD_IMAGES;

/**
 * The definition's table: created from `table.create` (its keys, STRING unless `tableProps` types them), or imported
 * from `table.existing` by name or ARN with its stream ARN.
 */
export function resolveTableSource(scope: Construct, sync: ResolvedSync, tableProps: SyncTableProps | undefined): TableSource {
  const table = sync.definition.table;
  if ('create' in table) return createdTable(scope, table, tableProps);
  if (tableProps !== undefined) {
    throw new InvalidPropError('tableProps', `applies to a table the definition creates; sync "${sync.name}" uses an existing table`);
  }
  return existingTable(scope, sync.name, table);
}

function existingTable(scope: Construct, syncName: string, { existing }: ExistingTableDefinition): TableSource {
  const where = `sync "${syncName}" table.existing.streamArn`;
  if (existing.streamArn === undefined) {
    throw new InvalidPropError(
      'sync',
      `${where}: is required to deploy an existing table (aws dynamodb describe-table --table-name <name> --query Table.LatestStreamArn; the stream must be NEW_AND_OLD_IMAGES)`,
    );
  }
  // The definition has checked that the stream is this table's (same name, or same ARN: account and region too).
  const tableName = existing.name ?? existing.arn?.split('/').pop();
  const table = dynamodb.Table.fromTableAttributes(scope, 'Table', {
    ...(existing.arn !== undefined ? { tableArn: existing.arn } : { tableName }),
    tableStreamArn: existing.streamArn,
  });
  return { table, streamArn: existing.streamArn, declaredKeys: undefined, existing: true, declaredGlobal: existing.globalTable ?? false };
}

function createdTable(scope: Construct, { create }: CreatedTableDefinition, tableProps: SyncTableProps = {}): TableSource {
  // Read through a widened type: the deprecated flag still exists and must not contradict us.
  const { pointInTimeRecovery: legacyPitr, ...rest } = tableProps as SyncTableProps & { pointInTimeRecovery?: boolean };
  if (rest.stream !== undefined && rest.stream !== REQUIRED_VIEW_TYPE) {
    throw new InvalidPropError('tableProps.stream', `must be ${REQUIRED_VIEW_TYPE} (or left out), got ${rest.stream}`);
  }
  if (legacyPitr === false || rest.pointInTimeRecoverySpecification?.pointInTimeRecoveryEnabled === false) {
    throw new InvalidPropError('tableProps.pointInTimeRecoverySpecification', 'point-in-time recovery cannot be turned off');
  }
  if (rest.removalPolicy !== undefined) {
    throw new InvalidPropError(
      'tableProps.removalPolicy',
      "is the definition's table.create.removal ('retain' or 'destroy'); leave it out",
    );
  }
  const partitionKey = keyOf('tableProps.partitionKey', create.partitionKey, rest.partitionKey);
  const sortKey = create.sortKey === undefined ? undefined : keyOf('tableProps.sortKey', create.sortKey, rest.sortKey);
  if (create.sortKey === undefined && rest.sortKey !== undefined) {
    throw new InvalidPropError('tableProps.sortKey', 'the definition declares no sort key (table.create.sortKey); leave it out');
  }
  const table = new dynamodb.Table(scope, 'Table', {
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    ...rest,
    partitionKey,
    ...(sortKey !== undefined && { sortKey }),
    stream: REQUIRED_VIEW_TYPE,
    pointInTimeRecoverySpecification: { ...rest.pointInTimeRecoverySpecification, pointInTimeRecoveryEnabled: true },
    encryption: rest.encryption ?? dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: create.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });
  const declaredKeys = sortKey === undefined ? [partitionKey.name] : [partitionKey.name, sortKey.name];
  return { table, streamArn: table.tableStreamArn as string, declaredKeys, existing: false, declaredGlobal: false };
}

/** The definition names a key; `tableProps` may type it (same name only). */
function keyOf(prop: string, name: string, given: dynamodb.Attribute | undefined): dynamodb.Attribute {
  if (given !== undefined && given.name !== name) {
    throw new InvalidPropError(prop, `must name the definition's key "${name}" (or be left out), got "${given.name}"`);
  }
  return given ?? { name, type: dynamodb.AttributeType.STRING };
}
