import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { DynamoDbToOpenSearch, InvalidPropError, MissingBundleError, type DynamoDbToOpenSearchProps, type IndexRoute } from '../../src';
import { givenStack, pkSkTableProps, syncProps, synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

function build(
  overrides: Partial<DynamoDbToOpenSearchProps> | ((stack: ReturnType<typeof givenStack>) => Partial<DynamoDbToOpenSearchProps>),
): () => void {
  return () => {
    const stack = givenStack();
    const extra = typeof overrides === 'function' ? overrides(stack) : overrides;
    new DynamoDbToOpenSearch(stack, 'Sync', syncProps(extra));
  };
}

describe('prop validation', () => {
  it.each([
    ['batchSize', { batchSize: 0 }, /"batchSize": must be an integer from 1 to 10000, got 0/],
    ['batchSize', { batchSize: 10_001 }, /"batchSize"/],
    ['batchSize', { batchSize: 2.5 }, /"batchSize"/],
    ['maxBatchingWindow', { maxBatchingWindow: Duration.minutes(6) }, /"maxBatchingWindow": must be from 0 to 300 seconds, got 360/],
    ['maxBatchingWindow', { maxBatchingWindow: Duration.millis(500) }, /"maxBatchingWindow": must be a whole number of seconds/],
    ['parallelizationFactor', { parallelizationFactor: 11 }, /"parallelizationFactor"/],
    ['retryAttempts', { retryAttempts: -1 }, /"retryAttempts"/],
    ['maxRecordAge', { maxRecordAge: Duration.seconds(59) }, /"maxRecordAge": must be from 60 to 604800 seconds/],
    ['maxRecordAge', { maxRecordAge: Duration.days(8) }, /"maxRecordAge"/],
    ['memorySize', { memorySize: 64 }, /"memorySize"/],
    ['timeout', { timeout: Duration.minutes(16) }, /"timeout"/],
    ['failureHandlerTimeout', { failureHandlerTimeout: Duration.seconds(0) }, /"failureHandlerTimeout"/],
    ['reservedConcurrentExecutions', { reservedConcurrentExecutions: 0 }, /"reservedConcurrentExecutions"/],
    ['iteratorAgeAlarmThreshold', { iteratorAgeAlarmThreshold: Duration.days(2) }, /"iteratorAgeAlarmThreshold"/],
    ['indexRoutes', { indexRoutes: [] }, /"indexRoutes": Invalid index routes: routes: must list at least one route/],
    [
      'indexRoutes[0].index',
      { indexRoutes: [{ index: 'Products', match: { always: true } }] },
      /"indexRoutes": Invalid index routes: routes\[0\]\.index \(index "Products"\)/,
    ],
    [
      'indexRoutes[0].match',
      { indexRoutes: [{ index: 'products', match: { attribute: 'type' } } as unknown as IndexRoute] },
      /"indexRoutes": Invalid index routes: routes\[0\]\.match \(index "products"\)/,
    ],
    [
      'indexRoutes (size)',
      { indexRoutes: [{ index: 'products', match: { attribute: 'type', equals: 'x'.repeat(5000) } }] },
      /"indexRoutes": makes the indexer environment about \d+ bytes; Lambda allows 4096/,
    ],
    ['keyAttributes', { keyAttributes: ['pk', 'pk'] }, /"keyAttributes": must not repeat/],
    ['keyAttributes[1]', { keyAttributes: ['pk', 's,k'] }, /"keyAttributes\[1\]": must not contain ','/],
    ['keyAttributes', { keyAttributes: ['id'] }, /"keyAttributes": must equal the table key \["pk","sk"\]/],
    ['mode', { mode: 'queued' as unknown as 'direct' }, /"mode": must be 'direct' or 'buffered'/],
    ['syncName', { syncName: 'has space' }, /"syncName"/],
    [
      'archiveLifecycle.infrequentAccessAfter',
      { archiveLifecycle: { infrequentAccessAfter: Duration.days(7) } },
      /"archiveLifecycle\.infrequentAccessAfter": must be at least 30 days/,
    ],
    [
      'archiveLifecycle.expireAfter',
      { archiveLifecycle: { expireAfter: Duration.days(60) } },
      /"archiveLifecycle\.expireAfter": must be later than glacierAfter/,
    ],
    [
      'tableProps.stream',
      { tableProps: { ...pkSkTableProps, stream: dynamodb.StreamViewType.KEYS_ONLY } },
      /"tableProps\.stream": must be NEW_AND_OLD_IMAGES/,
    ],
    ['domainProps.encryptionAtRest', { domainProps: { encryptionAtRest: { enabled: false } } }, /"domainProps\.encryptionAtRest"/],
    ['domainProps.enforceHttps', { domainProps: { enforceHttps: false } }, /"domainProps\.enforceHttps"/],
    ['domainProps.nodeToNodeEncryption', { domainProps: { nodeToNodeEncryption: false } }, /"domainProps\.nodeToNodeEncryption"/],
    [
      'domainProps.version',
      { domainProps: { version: opensearch.EngineVersion.OPENSEARCH_1_3 } },
      /"domainProps\.version": must be OpenSearch 2\.x or later/,
    ],
  ])('rejects a bad %s naming it', (_prop, overrides, message) => {
    // given / when / then
    expect(build(overrides as Partial<DynamoDbToOpenSearchProps>)).toThrow(message);
  });

  it('throws a typed error carrying the prop name', () => {
    // given / when
    let caught: unknown;
    try {
      build({ batchSize: 0 })();
    } catch (error) {
      caught = error;
    }

    // then
    expect(caught).toBeInstanceOf(InvalidPropError);
    expect((caught as InvalidPropError).prop).toBe('batchSize');
  });

  it('rejects an existing table without a stream', () => {
    // given
    const withoutStream = build((stack) => ({
      tableProps: undefined,
      table: new dynamodb.Table(stack, 'NoStream', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }),
    }));

    // when / then
    expect(withoutStream).toThrow(/"table": must have a stream with view type NEW_AND_OLD_IMAGES, got no stream/);
  });

  it('rejects an existing table whose stream lacks old images', () => {
    // given
    const newImageOnly = build((stack) => ({
      tableProps: undefined,
      table: new dynamodb.Table(stack, 'NewImage', {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        stream: dynamodb.StreamViewType.NEW_IMAGE,
      }),
    }));

    // when / then
    expect(newImageOnly).toThrow(/"table": must have a stream with view type NEW_AND_OLD_IMAGES, got NEW_IMAGE/);
  });

  it('rejects an imported table without a stream ARN', () => {
    // given
    const imported = build((stack) => ({
      tableProps: undefined,
      table: dynamodb.Table.fromTableName(stack, 'Imported', 'products'),
      keyAttributes: ['pk', 'sk'],
    }));

    // when / then
    expect(imported).toThrow(/"table": has no stream ARN: import it with Table\.fromTableAttributes/);
  });

  it('requires key attributes for an imported table', () => {
    // given
    const imported = build((stack) => ({
      tableProps: undefined,
      table: dynamodb.Table.fromTableAttributes(stack, 'Imported', {
        tableName: 'products',
        tableStreamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/products/stream/2026-01-01T00:00:00.000',
      }),
    }));

    // when / then
    expect(imported).toThrow(/"keyAttributes": is required when the table is imported/);
  });

  it('requires exactly one of table and tableProps, and of domain and domainProps', () => {
    // given / when / then
    expect(build({ tableProps: undefined })).toThrow(/"table": give exactly one of "table" \(existing\) and "tableProps"/);
    expect(build({ domainProps: undefined })).toThrow(/"domain": give exactly one of "domain" \(existing\) and "domainProps"/);
  });

  it('names the missing bundle and the command that builds it', () => {
    // given / when / then
    expect(build({ indexerCodePath: '/nonexistent/indexer' })).toThrow(MissingBundleError);
    expect(build({ indexerCodePath: '/nonexistent/indexer' })).toThrow(
      /"indexerCodePath": no index\.js in \/nonexistent\/indexer; build it with `npx nx run indexer:bundle`/,
    );
    expect(build({ failureHandlerCodePath: '/nonexistent/fh' })).toThrow(/"failureHandlerCodePath".*failure-handler:bundle/);
  });

  it('skips values that are not resolved yet', () => {
    // given / when / then
    expect(build((stack) => ({ syncName: stack.stackName }))).not.toThrow();
  });

  it('warns when maxRecordAge leaves the failure handler under an hour before the stream trims records', () => {
    // given / when
    const { stack } = synthesizeSync({ maxRecordAge: Duration.hours(24) });

    // then
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Sync',
      Match.stringLikeRegexp('maxRecordAge 1 day leaves the failure handler under 1 hour'),
    );
  });

  it('does not warn with the default maxRecordAge', () => {
    // given / when
    const { stack } = synthesizeDefaultSync();

    // then
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('maxRecordAge'))).toEqual([]);
  });
});
