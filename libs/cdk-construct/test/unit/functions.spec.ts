import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SYNC_ENV } from '@ddb-os/sync-contracts';
import { existingTableAndDomain, fixtureCodePaths, synthesizeDefaultSync, synthesizeSync } from '../helpers/factories';

describe('Lambda functions', () => {
  it('run Node.js 22 (the default runtime) on arm64 from the bundle directories with handler index.handler', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' },
    });
    expect(Object.keys(functions).sort()).toEqual([
      expect.stringMatching(/^SyncFailureHandlerFunction/),
      expect.stringMatching(/^SyncIndexerFunction/),
    ]);
  });

  it('configures the indexer from the props, and names its sync and the fingerprint of its definition', () => {
    // given / when
    const { template, sync } = synthesizeSync({
      definition: { versionAttribute: 'version' },
      memorySize: 1024,
      timeout: Duration.seconds(90),
      reservedConcurrentExecutions: 20,
    });

    // then
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'DynamoDB stream -> OpenSearch indexer',
      MemorySize: 1024,
      Timeout: 90,
      ReservedConcurrentExecutions: 20,
      Environment: {
        Variables: {
          SYNC_NAME: 'products',
          SYNC_FINGERPRINT: sync.sync.fingerprint,
          OPENSEARCH_AUTH: 'sigv4',
          OPENSEARCH_NODE: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncDomain'), 'DomainEndpoint'] }]] },
          DLQ_URL: { Ref: Match.stringLikeRegexp('^SyncDeadLetterQueue') },
          TABLE_NAME: { Ref: Match.stringLikeRegexp('^SyncTable') },
          POWERTOOLS_METRICS_NAMESPACE: 'DynamoDbOpenSearchSync',
          POWERTOOLS_SERVICE_NAME: 'products',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      },
    });
    expect(sync.sync.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('passes no route, key or version variable: the bundle reads them from the definition it compiles in', () => {
    // given / when
    const { template } = synthesizeSync({ definition: { versionAttribute: 'version', mappingDynamic: 'false' } });

    // then
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(Object.keys(fn['Properties'].Environment.Variables as object)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(INDEX_ROUTES|KEY_ATTRIBUTES|VERSION_ATTRIBUTE|MAPPING_DYNAMIC)$/)]),
      );
    }
  });

  it('changes SYNC_FINGERPRINT when the definition changes (a route), so an older bundle refuses to start', () => {
    // given / when
    const before = synthesizeDefaultSync().sync.sync.fingerprint;
    const { template } = synthesizeSync({ definition: { routes: [{ index: 'products', match: { always: true } }] } });

    // then
    const fingerprints = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) => (fn['Properties'].Environment.Variables as Record<string, string>)['SYNC_FINGERPRINT'],
    );
    expect(new Set(fingerprints).size).toBe(1);
    expect(fingerprints[0]).not.toBe(before);
  });

  it('gives the functions of an existing table its name, to read its keys with DescribeTable', () => {
    // given / when
    const { template } = synthesizeSync({ definition: existingTableAndDomain });

    // then
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'DynamoDB stream -> OpenSearch indexer',
      Environment: {
        Variables: Match.objectLike({ TABLE_NAME: 'catalog', OPENSEARCH_NODE: 'https://search-catalog-abc123.eu-west-1.es.amazonaws.com' }),
      },
    });
  });

  it('tells the failure handler where to archive and how to report', () => {
    // given / when
    const { template, sync } = synthesizeDefaultSync();

    // then
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Archives failed DynamoDB stream records to S3',
      Timeout: 120,
      Environment: {
        Variables: {
          ARCHIVE_BUCKET: { Ref: Match.stringLikeRegexp('^SyncArchiveArchiveBucket') },
          TABLE_NAME: { Ref: Match.stringLikeRegexp('^SyncTable') },
          POWERTOOLS_METRICS_NAMESPACE: 'DynamoDbOpenSearchSync',
          POWERTOOLS_SERVICE_NAME: sync.serviceName,
        },
      },
    });
  });

  it('writes to explicit log groups with the given retention and traces when asked', () => {
    // given / when
    const { template } = synthesizeSync({ logRetention: logs.RetentionDays.ONE_WEEK, tracing: lambda.Tracing.ACTIVE });

    // then
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 7 } }))).toHaveLength(2);
    template.allResourcesProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('FunctionLogGroup') } },
    });
  });

  it('uses no managed policies (every permission is explicit)', () => {
    // given / when
    const { template } = synthesizeDefaultSync();

    // then
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('run the runtime given in the "runtime" prop, on every function', () => {
    // given / when
    const { template } = synthesizeSync({ runtime: lambda.Runtime.NODEJS_24_X });

    // then
    expect(Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }))).toHaveLength(2);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x' }, 0);
  });

  it.each([lambda.Runtime.NODEJS_20_X, lambda.Runtime.PYTHON_3_13])('refuse %s, which cannot run the node22 bundles', (runtime) => {
    // given / when / then
    expect(() => synthesizeSync({ runtime })).toThrow(
      new RegExp(
        `"runtime": must be a Node.js runtime from nodejs22.x on \\(the bundles are built for node22\\), got ${runtime.name.replace('.', '\\.')}`,
      ),
    );
  });

  it('set only environment variables named by the shared contract (@ddb-os/sync-contracts), in both modes', () => {
    // given
    const contract = new Set<string>([...Object.values(SYNC_ENV), 'NODE_OPTIONS']);
    const buffered = {
      streamReaderCodePath: fixtureCodePaths.indexerCodePath,
      writerCodePath: fixtureCodePaths.indexerCodePath,
    } as const;

    // when
    const templates = [
      synthesizeDefaultSync().template,
      synthesizeSync({ ...buffered, definition: { mode: 'buffered', versionAttribute: 'version', ...existingTableAndDomain } }).template,
    ];

    // then
    for (const template of templates) {
      const names = Object.values(template.findResources('AWS::Lambda::Function')).flatMap((fn) =>
        Object.keys(fn['Properties'].Environment.Variables as object),
      );
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => !contract.has(name))).toEqual([]);
    }
  });
});
