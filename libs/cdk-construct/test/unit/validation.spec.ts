import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { DynamoDbToOpenSearch, InvalidPropError, MissingBundleError, type DynamoDbToOpenSearchProps } from '../../src';
import {
  existingTableAndDomain,
  givenStack,
  syncProps,
  synthesizeDefaultSync,
  synthesizeSync,
  type SyncOverrides,
} from '../helpers/factories';

function build(overrides: SyncOverrides | ((stack: ReturnType<typeof givenStack>) => SyncOverrides)): () => void {
  return () => {
    const stack = givenStack();
    const extra = typeof overrides === 'function' ? overrides(stack) : overrides;
    new DynamoDbToOpenSearch(stack, 'Sync', syncProps(extra));
  };
}

const existingTable = existingTableAndDomain.table.existing;

describe('prop validation', () => {
  it.each<[string, SyncOverrides, RegExp]>([
    ['memorySize', { memorySize: 64 }, /"memorySize"/],
    ['timeout', { timeout: Duration.minutes(16) }, /"timeout"/],
    ['failureHandlerTimeout', { failureHandlerTimeout: Duration.seconds(0) }, /"failureHandlerTimeout"/],
    ['reservedConcurrentExecutions', { reservedConcurrentExecutions: 0 }, /"reservedConcurrentExecutions"/],
    ['iteratorAgeAlarmThreshold', { iteratorAgeAlarmThreshold: Duration.days(2) }, /"iteratorAgeAlarmThreshold"/],
    ['serviceName', { serviceName: 'has space' }, /"serviceName"/],
    [
      'archiveLifecycle.infrequentAccessAfter',
      { archiveLifecycle: { infrequentAccessAfter: Duration.days(7) } },
      /"archiveLifecycle\.infrequentAccessAfter": must be at least 30 days/,
    ],
    [
      'archiveLifecycle.glacierAfter',
      { archiveLifecycle: { glacierAfter: Duration.days(200) }, definition: { failures: { archiveExpiryDays: 180 } } },
      /"archiveLifecycle\.glacierAfter": must be earlier than the definition's failures.archiveExpiryDays \(180 days\), got 200/,
    ],
    [
      'tableProps.stream',
      { tableProps: { stream: dynamodb.StreamViewType.KEYS_ONLY } },
      /"tableProps\.stream": must be NEW_AND_OLD_IMAGES/,
    ],
    [
      'tableProps.partitionKey',
      { tableProps: { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } } },
      /"tableProps\.partitionKey": must name the definition's key "pk" \(or be left out\), got "id"/,
    ],
    [
      'tableProps.sortKey',
      {
        tableProps: { sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING } },
        definition: { table: { create: { partitionKey: 'pk' } } },
      },
      /"tableProps\.sortKey": the definition declares no sort key/,
    ],
    [
      'tableProps.removalPolicy',
      { tableProps: { removalPolicy: RemovalPolicy.DESTROY } },
      /"tableProps\.removalPolicy": is the definition's table.create.removal/,
    ],
    [
      'tableProps (existing table)',
      { tableProps: { billingMode: dynamodb.BillingMode.PAY_PER_REQUEST }, definition: existingTableAndDomain },
      /"tableProps": applies to a table the definition creates; sync "products" uses an existing table/,
    ],
    [
      'domainProps (existing domain)',
      { domainProps: { enforceHttps: true }, definition: existingTableAndDomain },
      /"domainProps": applies to a domain the definition creates; sync "products" uses an existing domain/,
    ],
    [
      'domain.existing.endpoint',
      {
        definition: {
          ...existingTableAndDomain,
          domain: { existing: { ...existingTableAndDomain.domain.existing, endpoint: 'http://search.internal:9200' } },
        },
      },
      /"sync": sync "products" domain.existing.endpoint: a deployed sync signs its requests \(SigV4\) over HTTPS, got http:\/\/search.internal:9200/,
    ],
    [
      'table.existing.streamArn (missing)',
      { definition: { ...existingTableAndDomain, table: { existing: { arn: existingTable.arn } } } },
      /"sync": sync "products" table.existing.streamArn: is required to deploy an existing table/,
    ],
    [
      'table.existing.streamArn (another table)',
      {
        definition: {
          ...existingTableAndDomain,
          table: { existing: { name: 'orders', streamArn: existingTable.streamArn } },
        },
      },
      /syncs\[0\] "products"\.table\.existing\.streamArn: is a stream of table "catalog", not of the table "orders"/,
    ],
    [
      'table.existing.streamArn (another region)',
      {
        definition: {
          ...existingTableAndDomain,
          table: { existing: { arn: existingTable.arn, streamArn: existingTable.streamArn.replace('eu-west-1', 'us-east-1') } },
        },
      },
      /syncs\[0\] "products"\.table\.existing\.streamArn: is a stream of table "arn:aws:dynamodb:us-east-1:123456789012:table\/catalog", not of the table "arn:aws:dynamodb:eu-west-1:123456789012:table\/catalog"/,
    ],
    ['domainProps.encryptionAtRest', { domainProps: { encryptionAtRest: { enabled: false } } }, /"domainProps\.encryptionAtRest"/],
    ['domainProps.enforceHttps', { domainProps: { enforceHttps: false } }, /"domainProps\.enforceHttps"/],
    ['domainProps.nodeToNodeEncryption', { domainProps: { nodeToNodeEncryption: false } }, /"domainProps\.nodeToNodeEncryption"/],
    [
      'domainProps.removalPolicy',
      { domainProps: { removalPolicy: RemovalPolicy.DESTROY } },
      /"domainProps\.removalPolicy": is the definition's domain.create.removal/,
    ],
    [
      'domainProps.version',
      { domainProps: { version: opensearch.EngineVersion.OPENSEARCH_1_3 } },
      /"domainProps\.version": must be OpenSearch 2\.x or later/,
    ],
  ])('rejects a bad %s naming it', (_prop, overrides, message) => {
    // given / when / then
    expect(build(overrides)).toThrow(message);
  });

  it('throws a typed error carrying the prop name', () => {
    // given / when
    let caught: unknown;
    try {
      build({ memorySize: 64 })();
    } catch (error) {
      caught = error;
    }

    // then
    expect(caught).toBeInstanceOf(InvalidPropError);
    expect((caught as InvalidPropError).prop).toBe('memorySize');
  });

  it('requires the sync', () => {
    // given / when / then
    expect(() => new DynamoDbToOpenSearch(givenStack(), 'Sync', {} as DynamoDbToOpenSearchProps)).toThrow(
      /"sync": is required: a sync of the definition/,
    );
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
    expect(build((stack) => ({ serviceName: stack.stackName }))).not.toThrow();
  });

  it("warns when the definition's maxRecordAgeHours leaves the failure handler under an hour before the stream trims records", () => {
    // given / when
    const { stack } = synthesizeSync({ definition: { failures: { maxRecordAgeHours: 24 } } });

    // then
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Sync',
      Match.stringLikeRegexp('sync "products" failures.maxRecordAgeHours \\(1 day\\) leaves the failure handler under 1 hour'),
    );
  });

  it('does not warn with the default maxRecordAge', () => {
    // given / when
    const { stack } = synthesizeDefaultSync();

    // then
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('maxRecordAge'))).toEqual([]);
  });
});
