import { Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { InvalidPropError } from './errors';
import type { DynamoDbToOpenSearchProps } from './types';

/** The table the sync reads, with what the construct needs to know about it. */
export interface TableSource {
  readonly table: dynamodb.ITable;
  readonly streamArn: string;
  /** Key attribute names from the table's key schema, when the construct can read it. */
  readonly schemaKeys: readonly string[] | undefined;
}

const REQUIRED_VIEW_TYPE = dynamodb.StreamViewType.NEW_AND_OLD_IMAGES;

/** Uses `table` or creates one from `tableProps` (exactly one of them must be given). */
export function resolveTableSource(scope: Construct, props: DynamoDbToOpenSearchProps): TableSource {
  if ((props.table === undefined) === (props.tableProps === undefined)) {
    throw new InvalidPropError('table', 'give exactly one of "table" (existing) and "tableProps" (create one)');
  }
  return props.table ? existingTable(props.table) : createdTable(scope, props.tableProps as dynamodb.TableProps);
}

function existingTable(table: dynamodb.ITable): TableSource {
  const viewType = declaredStreamViewType(table);
  if (viewType !== UNKNOWN && viewType !== REQUIRED_VIEW_TYPE) {
    throw new InvalidPropError('table', `must have a stream with view type ${REQUIRED_VIEW_TYPE}, got ${viewType ?? 'no stream'}`);
  }
  if (table.tableStreamArn === undefined) {
    throw new InvalidPropError('table', 'has no stream ARN: import it with Table.fromTableAttributes({ tableArn, tableStreamArn })');
  }
  return { table, streamArn: table.tableStreamArn, schemaKeys: schemaKeysOf(table) };
}

function createdTable(scope: Construct, tableProps: dynamodb.TableProps): TableSource {
  // Read through a widened type: the deprecated flag still exists and must not contradict us.
  const { pointInTimeRecovery: legacyPitr, ...rest } = tableProps as dynamodb.TableProps & { pointInTimeRecovery?: boolean };
  if (rest.stream !== undefined && rest.stream !== REQUIRED_VIEW_TYPE) {
    throw new InvalidPropError('tableProps.stream', `must be ${REQUIRED_VIEW_TYPE} (or left out), got ${rest.stream}`);
  }
  if (legacyPitr === false || rest.pointInTimeRecoverySpecification?.pointInTimeRecoveryEnabled === false) {
    throw new InvalidPropError('tableProps.pointInTimeRecoverySpecification', 'point-in-time recovery cannot be turned off');
  }
  const table = new dynamodb.Table(scope, 'Table', {
    ...rest,
    stream: REQUIRED_VIEW_TYPE,
    pointInTimeRecoverySpecification: { ...rest.pointInTimeRecoverySpecification, pointInTimeRecoveryEnabled: true },
    encryption: rest.encryption ?? dynamodb.TableEncryption.AWS_MANAGED,
  });
  return { table, streamArn: table.tableStreamArn as string, schemaKeys: schemaKeysOf(table) };
}

const UNKNOWN = Symbol('unknown stream view type');

/** The stream view type a table in this app declares; UNKNOWN for imported tables or unresolved values. */
function declaredStreamViewType(table: dynamodb.ITable): string | undefined | typeof UNKNOWN {
  const resource = table.node.defaultChild;
  if (!(resource instanceof dynamodb.CfnTable) && !(resource instanceof dynamodb.CfnGlobalTable)) return UNKNOWN;
  const specification: unknown = Stack.of(table).resolve(resource.streamSpecification);
  if (specification === undefined) return undefined;
  const viewType = (specification as { streamViewType?: unknown }).streamViewType;
  return typeof viewType === 'string' && !Token.isUnresolved(viewType) ? viewType : UNKNOWN;
}

/** Key attribute names (HASH, then RANGE) read from the table's CloudFormation resource, when it is in this app. */
function schemaKeysOf(table: dynamodb.ITable): readonly string[] | undefined {
  const resource = table.node.defaultChild;
  if (!(resource instanceof dynamodb.CfnTable) && !(resource instanceof dynamodb.CfnGlobalTable)) return undefined;
  const keySchema: unknown = Stack.of(table).resolve(resource.keySchema);
  if (!Array.isArray(keySchema)) return undefined;
  const keys = keySchema as Array<{ attributeName?: unknown; keyType?: unknown }>;
  const nameOf = (keyType: string): unknown => keys.find((key) => key.keyType === keyType)?.attributeName;
  const names = [nameOf('HASH'), nameOf('RANGE')].filter((name): name is string => typeof name === 'string');
  return names.length > 0 && names.every((name) => !Token.isUnresolved(name)) ? names : undefined;
}

/** The key attributes to pass to the indexer: the given ones (checked against the schema) or the schema's. */
export function resolveKeyAttributes(source: TableSource, given: readonly string[] | undefined): readonly string[] {
  if (given && source.schemaKeys && given.join('\u0000') !== source.schemaKeys.join('\u0000')) {
    throw new InvalidPropError(
      'keyAttributes',
      `must equal the table key ${JSON.stringify(source.schemaKeys)}, got ${JSON.stringify(given)}`,
    );
  }
  const keys = given ?? source.schemaKeys;
  if (!keys) throw new InvalidPropError('keyAttributes', 'is required when the table is imported (its key schema is unknown)');
  return keys;
}
