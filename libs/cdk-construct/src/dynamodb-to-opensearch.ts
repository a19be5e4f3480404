import { SYNC_ENV } from '@ddb-os/sync-contracts';
import type { ResolvedSync, SyncDefinition } from '@ddb-os/sync-definition';
import { Annotations, Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resolveBundleDirectory } from './code-location';
import {
  ALARM_DEFAULTS,
  BUFFER_DEFAULTS,
  BUNDLE_NODE_MAJOR,
  DOMAIN_READ_ACTIONS,
  DEFAULT_CODE_PATHS,
  FAILURE_HANDLER_MIN_HEADROOM,
  FUNCTION_DEFAULTS,
  INDEXER_DOMAIN_ACTIONS,
  METRICS_NAMESPACE,
  STREAM_DEFAULTS,
  STREAM_READ_ACTIONS,
  STREAM_RETENTION,
  UNSCOPED_ACTION_REASONS,
  VPC_NETWORK_INTERFACE_ACTIONS,
} from './constants';
import { type CreatedDomain, resolveDomainSource } from './domain-source';
import { createDomainAlarms, freeStorageThresholdMiB } from './domain-monitoring';
import { FailedBatchBucket } from './failure-destination';
import { countStreamReaders, requireStreamReadersFit, resolveGlobalTable } from './stream-readers';
import { acknowledge, acknowledgeUnscopedActions, acknowledgeWildcardResource } from './nag-acknowledgments';
import { createFailureQueues, SyncArchive } from './failure-storage';
import { createAlarms, createDashboard, type MonitoringTargets } from './monitoring';
import { connectWriter, createBuffer, createBufferedModeAlarms, grantStreamReader } from './buffered-mode';
import { createFunctionRole, createSyncFunction, DEFAULT_RUNTIME, isNewestNodeRuntime, type SyncFunctionSpec } from './sync-functions';
import { resolveTableSource } from './table-source';
import type { BufferedModeAlarms, DomainAlarms, DynamoDbToOpenSearchProps, OnFailureDestination, SyncAlarms, SyncMode } from './types';
import { exceeds, requireEnvironmentFits, resolveArchiveLifecycle, validatedSync, validateProps } from './validation';

/**
 * Keeps OpenSearch indexes in near-real-time sync with a DynamoDB table, as one sync of the workspace's definition
 * declares it: the table's stream feeds an indexer Lambda; batches that exhaust retries and poison records go to SQS,
 * where a failure-handler Lambda archives them to S3 for replay. Alarms and a dashboard watch lag and every failure
 * path.
 *
 * The construct wires infrastructure only; the indexing logic lives in the Lambda bundles, which compile in the same
 * definition (`SYNC_NAME` picks the sync, `SYNC_FINGERPRINT` proves the bundle holds the definition synthesized here).
 *
 * @example
 * const syncs = defineSyncs({ syncs: [{ name: 'orders', table: { create: { partitionKey: 'orderId' } }, domain: { create: {} }, routes: [{ index: 'orders', match: { always: true } }] }] });
 * new DynamoDbToOpenSearch(stack, 'orders', { sync: syncs.named('orders') });
 */
export class DynamoDbToOpenSearch extends Construct {
  /** The synced table (given or created). */
  public readonly table: dynamodb.ITable;
  /** ARN of the table's stream. */
  public readonly streamArn: string;
  /** The sync deployed (validated again by `defineSyncs`). */
  public readonly sync: ResolvedSync;
  /** The key attributes the definition declares (a created table); `undefined`: the functions read them with DescribeTable. */
  public readonly keyAttributes: readonly string[] | undefined;
  /** The OpenSearch domain (given or created). */
  public readonly domain: opensearch.IDomain;
  /** The domain the construct created, when it created one. */
  public readonly createdDomain: opensearch.Domain | undefined;
  /** Cluster alarms of the domain (given or created). */
  public readonly domainAlarms: DomainAlarms;
  /** The sync's name in the definition (`SYNC_NAME`). */
  public readonly syncName: string;
  /** `service` dimension of its custom metrics (`POWERTOOLS_SERVICE_NAME`). */
  public readonly serviceName: string;
  /** Namespace of the custom metrics (`DynamoDbOpenSearchSync`). */
  public readonly metricsNamespace: string = METRICS_NAMESPACE;

  /** `direct` or `buffered` (see {@link SyncMode}). */
  public readonly mode: SyncMode;

  /** The role of the function that writes OpenSearch: the indexer (direct) or the OpenSearch writer (buffered). */
  public readonly indexerRole: iam.Role;
  public readonly indexerFunction: lambda.Function;
  public readonly indexerLogGroup: logs.LogGroup;
  /** The DynamoDB stream event source (on the indexer, or on the stream reader in buffered mode). */
  public readonly eventSource: DynamoEventSource;
  /** Where failed stream batches go (`onFailureDestination`). */
  public readonly onFailureDestination: OnFailureDestination;
  /** What reads the table's stream in this configuration, one entry per reader (checked against the per-shard limit). */
  public readonly streamReaders: readonly string[];
  /** `onFailureDestination: 's3'`: the bucket receiving whole failed batches (it notifies `onFailureQueue`). */
  public readonly failedBatchBucket: s3.Bucket | undefined;

  /** Buffered mode: the function on the stream that publishes each record to the buffer topic. */
  public readonly streamReaderFunction: lambda.Function | undefined;
  public readonly streamReaderRole: iam.Role | undefined;
  public readonly streamReaderLogGroup: logs.LogGroup | undefined;
  /** Buffered mode: SNS FIFO topic the stream reader publishes to. */
  public readonly bufferTopic: sns.Topic | undefined;
  /** Buffered mode: SQS FIFO queue (raw delivery from the topic) consumed by the writer. */
  public readonly bufferQueue: sqs.Queue | undefined;
  /** Buffered mode: redrive target of the buffer queue. */
  public readonly bufferDeadLetterQueue: sqs.Queue | undefined;
  /** Buffered mode: the writer's SQS event source. */
  public readonly bufferEventSource: SqsEventSource | undefined;
  /** Buffered mode: reader, buffer-lag and buffer-DLQ alarms. */
  public readonly bufferedAlarms: BufferedModeAlarms | undefined;

  public readonly failureHandlerRole: iam.Role;
  public readonly failureHandlerFunction: lambda.Function;
  public readonly failureHandlerLogGroup: logs.LogGroup;

  /** On-failure destination of the event source mapping (batch metadata). */
  public readonly onFailureQueue: sqs.Queue;
  /** Poison records rejected by the indexer (`DLQ_URL`). */
  public readonly deadLetterQueue: sqs.Queue;
  /** Redrive target of both failure queues: messages the failure handler gave up on. */
  public readonly unprocessableQueue: sqs.Queue;

  /** The failure archive (given, shared, or created). */
  public readonly archive: SyncArchive;
  /** Archive of failed records, for replay (this sync writes under `failures/<table>/`). */
  public readonly archiveBucket: s3.Bucket;
  /** Server access logs of the archive bucket. */
  public readonly accessLogsBucket: s3.Bucket;

  public readonly alarms: SyncAlarms;
  public readonly dashboard: cloudwatch.Dashboard;

  private readonly createdDomainAccess: CreatedDomain | undefined;

  constructor(scope: Construct, id: string, props: DynamoDbToOpenSearchProps) {
    super(scope, id);
    this.sync = validatedSync(props.sync);
    const definition = this.sync.definition;
    this.syncName = this.sync.name;
    this.mode = this.sync.mode;
    validateProps(props, this.mode);
    const buffered = this.mode === 'buffered';
    const tableSource = resolveTableSource(this, this.sync, props.tableProps);
    this.table = tableSource.table;
    this.streamArn = tableSource.streamArn;
    this.keyAttributes = tableSource.declaredKeys;
    this.onFailureDestination = definition.failures?.destination ?? 'sqs';
    const readers = countStreamReaders(
      this.mode,
      this.onFailureDestination,
      props.otherStreamReaders ?? 0,
      resolveGlobalTable(tableSource, props.tableProps),
    );
    requireStreamReadersFit(readers, this.onFailureDestination);
    this.streamReaders = readers.readers;
    const indexerCode = buffered
      ? resolveBundleDirectory('writerCodePath', props.writerCodePath ?? DEFAULT_CODE_PATHS.writer, 'opensearch-writer:bundle')
      : resolveBundleDirectory('indexerCodePath', props.indexerCodePath ?? DEFAULT_CODE_PATHS.indexer, 'indexer:bundle');
    const streamReaderCode = buffered
      ? resolveBundleDirectory(
          'streamReaderCodePath',
          props.streamReaderCodePath ?? DEFAULT_CODE_PATHS.streamReader,
          'stream-reader:bundle',
        )
      : undefined;
    const failureHandlerCode = resolveBundleDirectory(
      'failureHandlerCodePath',
      props.failureHandlerCodePath ?? DEFAULT_CODE_PATHS.failureHandler,
      'failure-handler:bundle',
    );
    this.serviceName = props.serviceName ?? this.syncName;

    this.indexerRole = createFunctionRole(
      this,
      'IndexerRole',
      buffered ? 'OpenSearch writer: reads the buffer queue, writes OpenSearch' : 'Indexer: reads the table stream, writes OpenSearch',
    );
    this.failureHandlerRole = createFunctionRole(this, 'FailureHandlerRole', 'Failure handler: archives failed records to S3');
    const domainSource = resolveDomainSource(this, this.sync, props, this.indexerRole);
    this.domain = domainSource.domain;
    this.createdDomain = domainSource.created?.domain;
    this.createdDomainAccess = domainSource.created;

    const failureHandlerTimeout = props.failureHandlerTimeout ?? FUNCTION_DEFAULTS.failureHandlerTimeout;
    const queues = createFailureQueues(this, failureHandlerTimeout);
    this.onFailureQueue = queues.onFailureQueue;
    this.deadLetterQueue = queues.deadLetterQueue;
    this.unprocessableQueue = queues.unprocessableQueue;
    const archiveLifecycle = resolveArchiveLifecycle(props.archiveLifecycle, definition.failures?.archiveExpiryDays);
    this.archive = props.archive ?? new SyncArchive(this, 'Archive');
    this.archive.addSyncLifecycle(this.syncName, this.table.tableName, archiveLifecycle);
    this.archiveBucket = this.archive.archiveBucket;
    this.accessLogsBucket = this.archive.accessLogsBucket;
    const failedBatches =
      this.onFailureDestination === 's3'
        ? new FailedBatchBucket(this, 'FailedBatches', {
            onFailureQueue: this.onFailureQueue,
            accessLogsBucket: this.accessLogsBucket,
            expireAfter: archiveLifecycle.expireAfter,
          })
        : undefined;
    this.failedBatchBucket = failedBatches?.bucket;

    const indexer = createSyncFunction(this, {
      id: 'IndexerFunction',
      description: buffered ? 'Buffer queue (SQS FIFO) -> OpenSearch writer' : 'DynamoDB stream -> OpenSearch indexer',
      codeDirectory: indexerCode,
      role: this.indexerRole,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout ?? FUNCTION_DEFAULTS.timeout,
      environment: this.indexerEnvironment(props),
      ...functionOperations(props),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
    });
    this.indexerFunction = indexer.fn;
    this.indexerLogGroup = indexer.logGroup;
    this.grantIndexer(props);
    if (tableSource.existing) grantDescribeTable(this.indexerRole, this.table);
    if (streamReaderCode) {
      const buffer = createBuffer(this, {
        writerTimeout: props.timeout ?? FUNCTION_DEFAULTS.timeout,
        maxReceiveCount: props.bufferMaxReceiveCount ?? BUFFER_DEFAULTS.maxReceiveCount,
      });
      this.bufferTopic = buffer.topic;
      this.bufferQueue = buffer.queue;
      this.bufferDeadLetterQueue = buffer.deadLetterQueue;
      this.streamReaderRole = createFunctionRole(
        this,
        'StreamReaderRole',
        'Stream reader: reads the table stream, publishes to the buffer topic',
      );
      grantStreamReader(this.streamReaderRole, buffer.topic, this.deadLetterQueue);
      if (tableSource.existing) grantDescribeTable(this.streamReaderRole, this.table);
      const reader = createSyncFunction(this, {
        id: 'StreamReaderFunction',
        description: 'DynamoDB stream -> buffer topic (SNS FIFO)',
        codeDirectory: streamReaderCode,
        role: this.streamReaderRole,
        memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
        timeout: props.timeout ?? FUNCTION_DEFAULTS.timeout,
        environment: this.streamReaderEnvironment(props, buffer.topic),
        ...functionOperations(props),
      });
      this.streamReaderFunction = reader.fn;
      this.streamReaderLogGroup = reader.logGroup;
      this.bufferEventSource = connectWriter(this.indexerFunction, buffer.queue, props.bufferBatchSize ?? BUFFER_DEFAULTS.batchSize);
    }
    this.eventSource = this.connectStream(
      props,
      definition,
      this.streamReaderFunction ?? this.indexerFunction,
      failedBatches ?? new SqsDlq(this.onFailureQueue),
    );
    this.allowIndexerIntoDomainVpc();

    const failureHandler = createSyncFunction(this, {
      id: 'FailureHandlerFunction',
      description: 'Archives failed DynamoDB stream records to S3',
      codeDirectory: failureHandlerCode,
      role: this.failureHandlerRole,
      memorySize: props.failureHandlerMemorySize ?? FUNCTION_DEFAULTS.failureHandlerMemorySize,
      timeout: failureHandlerTimeout,
      environment: this.failureHandlerEnvironment(props),
      ...functionOperations(props),
    });
    this.failureHandlerFunction = failureHandler.fn;
    this.failureHandlerLogGroup = failureHandler.logGroup;
    this.grantFailureHandler(failedBatches);
    this.connectFailureQueues();

    const targets: MonitoringTargets = {
      indexer: this.indexerFunction,
      ...(this.streamReaderFunction ? { streamConsumer: this.streamReaderFunction } : {}),
      failureHandler: this.failureHandlerFunction,
      queues,
      serviceName: this.serviceName,
      alarmTopic: props.alarmTopic,
      iteratorAgeThreshold: props.iteratorAgeAlarmThreshold ?? ALARM_DEFAULTS.iteratorAge,
      queueAgeThreshold: props.queueAgeAlarmThreshold ?? ALARM_DEFAULTS.queueAge,
    };
    this.alarms = createAlarms(this, targets);
    this.domainAlarms = createDomainAlarms(this, {
      domain: this.domain,
      freeStorageThresholdMiB: props.domainFreeStorageAlarmThreshold?.toMebibytes() ?? freeStorageThresholdMiB(domainSource.created?.props),
      alarmTopic: props.alarmTopic,
    });
    const buffer =
      this.streamReaderFunction && this.bufferQueue && this.bufferDeadLetterQueue && this.bufferTopic
        ? {
            streamReader: this.streamReaderFunction,
            buffer: { topic: this.bufferTopic, queue: this.bufferQueue, deadLetterQueue: this.bufferDeadLetterQueue },
          }
        : undefined;
    if (buffer) {
      this.bufferedAlarms = createBufferedModeAlarms(this, {
        ...buffer,
        ageThreshold: props.bufferAgeAlarmThreshold ?? BUFFER_DEFAULTS.ageAlarmThreshold,
        alarmTopic: props.alarmTopic,
      });
    }
    this.dashboard = createDashboard(
      this,
      targets,
      {
        alarms: this.alarms,
        domain: { domain: this.domain, alarms: this.domainAlarms },
        ...(buffer && this.bufferedAlarms ? { buffered: { ...buffer, alarms: this.bufferedAlarms } } : {}),
      },
      props.dashboard,
    );
    if (!failedBatches) this.warnAboutRecordAge(maxRecordAgeOf(definition));
    this.acknowledgeInherentNagFindings(props);
  }

  /**
   * Lets `grantee` (search clients, operators running verify) read the indexes: `es:ESHttpGet/Head/Post` on the
   * domain's paths, in its identity policy and, for a created domain, in the domain's access policy next to the
   * indexer's. POST is included because searches are POSTs, so this is not write-proof: for strict read-only
   * access, enable fine-grained access control and map the principal to a read-only role.
   *
   * @example
   * sync.grantDomainRead(searchApiFunction);
   */
  public grantDomainRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantDomain(grantee, DOMAIN_READ_ACTIONS);
  }

  /**
   * Lets `grantee` (operators running backfill or replay) write the indexes with the indexer's verbs
   * (`es:ESHttpGet/Head/Post/Put`), like {@link grantDomainRead}.
   *
   * @example
   * sync.grantDomainWrite(iam.Role.fromRoleName(stack, 'Operators', 'search-operators'));
   */
  public grantDomainWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantDomain(grantee, INDEXER_DOMAIN_ACTIONS);
  }

  private grantDomain(grantee: iam.IGrantable, actions: readonly string[]): iam.Grant {
    this.createdDomainAccess?.accessPolicy.addStatements(
      new iam.PolicyStatement({
        principals: [grantee.grantPrincipal],
        actions: [...actions],
        resources: [this.createdDomainAccess.indexPathsArn],
      }),
    );
    return iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [`${this.domain.domainArn}/*`] });
  }

  private commonEnvironment(props: DynamoDbToOpenSearchProps): Record<string, string> {
    return {
      [SYNC_ENV.syncName]: this.syncName,
      [SYNC_ENV.syncFingerprint]: this.sync.fingerprint,
      [SYNC_ENV.serviceName]: this.serviceName,
      [SYNC_ENV.metricsNamespace]: METRICS_NAMESPACE,
      [SYNC_ENV.logLevel]: props.logLevel ?? FUNCTION_DEFAULTS.logLevel,
      [SYNC_ENV.tableName]: this.table.tableName,
    };
  }

  private indexerEnvironment(props: DynamoDbToOpenSearchProps): Record<string, string> {
    const environment: Record<string, string> = {
      ...this.commonEnvironment(props),
      [SYNC_ENV.openSearchNode]: `https://${this.domain.domainEndpoint}`,
      [SYNC_ENV.openSearchAuth]: 'sigv4',
      [SYNC_ENV.deadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
    };
    requireEnvironmentFits('sync', environment);
    return environment;
  }

  private streamReaderEnvironment(props: DynamoDbToOpenSearchProps, topic: sns.ITopic): Record<string, string> {
    return {
      ...this.commonEnvironment(props),
      [SYNC_ENV.bufferTopicArn]: topic.topicArn,
      [SYNC_ENV.deadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
    };
  }

  private failureHandlerEnvironment(props: DynamoDbToOpenSearchProps): Record<string, string> {
    return {
      ...this.commonEnvironment(props),
      [SYNC_ENV.archiveBucket]: this.archiveBucket.bucketName,
    };
  }

  /** HTTP verbs on the domain's paths and send-only on the poison queue; stream reads come with the event source. */
  private grantIndexer(props: DynamoDbToOpenSearchProps): void {
    if (props.vpc) {
      // A role given to a VPC function gets no ENI permissions from CDK; the managed policy would also grant logs on "*".
      this.indexerRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'ManageVpcNetworkInterfaces', actions: [...VPC_NETWORK_INTERFACE_ACTIONS], resources: ['*'] }),
      );
    }
    this.indexerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'OpenSearchHttp', actions: [...INDEXER_DOMAIN_ACTIONS], resources: [`${this.domain.domainArn}/*`] }),
    );
    this.indexerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'SendPoisonRecords', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );
  }

  private connectStream(
    props: DynamoDbToOpenSearchProps,
    definition: SyncDefinition,
    consumer: lambda.Function,
    onFailure: lambda.IEventSourceDlq,
  ): DynamoEventSource {
    const stream = definition.stream ?? {};
    const eventSource = new DynamoEventSource(this.table, {
      startingPosition: props.startingPosition ?? STREAM_DEFAULTS.startingPosition,
      enabled: props.enabled ?? true,
      ...(props.filters ? { filters: [...props.filters] } : {}),
      reportBatchItemFailures: true,
      batchSize: stream.batchSize ?? STREAM_DEFAULTS.batchSize,
      maxBatchingWindow:
        stream.maxBatchingWindowSeconds === undefined
          ? STREAM_DEFAULTS.maxBatchingWindow
          : Duration.seconds(stream.maxBatchingWindowSeconds),
      parallelizationFactor: stream.parallelizationFactor ?? STREAM_DEFAULTS.parallelizationFactor,
      retryAttempts: definition.failures?.retryAttempts ?? STREAM_DEFAULTS.retryAttempts,
      maxRecordAge: maxRecordAgeOf(definition),
      bisectBatchOnError: props.bisectBatchOnError ?? STREAM_DEFAULTS.bisectBatchOnError,
      onFailure,
    });
    consumer.addEventSource(eventSource);
    return eventSource;
  }

  private allowIndexerIntoDomainVpc(): void {
    if (this.createdDomain && this.indexerFunction.isBoundToVpc) {
      this.createdDomain.connections.allowFrom(this.indexerFunction, ec2.Port.tcp(443), 'Indexer to OpenSearch HTTPS');
    }
  }

  /**
   * Reads failed batches (from the stream by known ARN, no ListStreams; or from the failed-batch bucket) and
   * writes/checks archive objects.
   */
  private grantFailureHandler(failedBatches: FailedBatchBucket | undefined): void {
    const role = this.failureHandlerRole;
    if (failedBatches) {
      failedBatches.grantReadObjects(role);
    } else {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'ReadFailedRanges', actions: [...STREAM_READ_ACTIONS], resources: [this.streamArn] }),
      );
      this.table.encryptionKey?.grantDecrypt(role);
    }
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ArchiveObjects',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.archive.objectsArnOf(this.table.tableName)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ListArchive', actions: ['s3:ListBucket'], resources: [this.archiveBucket.bucketArn] }),
    );
  }

  private connectFailureQueues(): void {
    for (const queue of [this.onFailureQueue, this.deadLetterQueue]) {
      this.failureHandlerFunction.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
    }
  }

  private warnAboutRecordAge(maxRecordAge: Duration): void {
    if (exceeds(maxRecordAge, STREAM_RETENTION.minus(FAILURE_HANDLER_MIN_HEADROOM))) {
      Annotations.of(this).addWarningV2(
        '@ddb-os/cdk-construct:maxRecordAge',
        `sync "${this.syncName}" failures.maxRecordAgeHours (${maxRecordAge.toHumanString()}) leaves the failure handler under ${FAILURE_HANDLER_MIN_HEADROOM.toHumanString()} ` +
          `to read a failed range before the stream trims it (24 h): such ranges are counted as LostRanges`,
      );
    }
  }

  /**
   * cdk-nag findings that follow from the construct's design, acknowledged exactly (the finding's own id, on the
   * policy that holds it, each with its reason); IAM5 ids are computed once references are resolved.
   */
  private acknowledgeInherentNagFindings(props: DynamoDbToOpenSearchProps): void {
    for (const role of [this.indexerRole, this.failureHandlerRole, ...(this.streamReaderRole ? [this.streamReaderRole] : [])]) {
      acknowledgeUnscopedActions(role, UNSCOPED_ACTION_REASONS);
    }
    acknowledgeWildcardResource(
      this.indexerRole,
      `${this.domain.domainArn}/*`,
      'es:ESHttp{Get,Head,Post,Put} only, on the index paths of this one domain: index names are versioned and created at run time.',
    );
    acknowledgeWildcardResource(
      this.failureHandlerRole,
      this.archive.objectsArnOf(this.table.tableName),
      "Archive object keys are created per failure and cannot be listed in advance: Get/PutObject under this sync's table prefix only.",
    );
    if (this.failedBatchBucket) {
      const failedBatchObjects = this.failedBatchBucket.arnForObjects('*');
      const objectKeys = 'Lambda names each failed-batch object itself at run time';
      acknowledgeWildcardResource(
        this.streamReaderRole ?? this.indexerRole,
        failedBatchObjects,
        `${objectKeys}: PutObject (on-failure destination) on this one bucket only.`,
      );
      acknowledgeWildcardResource(
        this.failureHandlerRole,
        failedBatchObjects,
        `${objectKeys}: GetObject of the notified objects, on this one bucket only.`,
      );
    }
    const runtime = props.runtime ?? DEFAULT_RUNTIME;
    if (!isNewestNodeRuntime(runtime)) {
      for (const fn of [
        this.indexerFunction,
        this.failureHandlerFunction,
        ...(this.streamReaderFunction ? [this.streamReaderFunction] : []),
      ]) {
        acknowledge(fn, [
          {
            id: 'AwsSolutions-L1',
            reason: `Runtime ${runtime.name} (prop "runtime"): the prebuilt bundles target node${BUNDLE_NODE_MAJOR}; a newer Node.js runtime can be chosen with that prop.`,
          },
        ]);
      }
    }
    if (this.createdDomain) {
      acknowledge(this.createdDomain, [
        {
          id: 'AwsSolutions-OS3',
          reason: 'The access policy admits only named IAM principals (SigV4-signed requests); identity, not source IP, is the control.',
        },
      ]);
    }
  }
}

/** Records older than this go on-failure: the definition's `failures.maxRecordAgeHours`, 6 h by default. */
function maxRecordAgeOf(definition: SyncDefinition): Duration {
  const hours = definition.failures?.maxRecordAgeHours;
  return hours === undefined ? STREAM_DEFAULTS.maxRecordAge : Duration.hours(hours);
}

/** An existing table's key schema is read at cold start (`keyAttributesOf` of indexing-core): DescribeTable on it only. */
function grantDescribeTable(role: iam.Role, table: dynamodb.ITable): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'ReadTableKeys', actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }),
  );
}

/** The settings every function of the construct takes from the same props: runtime, tracing and log retention. */
function functionOperations(props: DynamoDbToOpenSearchProps): Pick<SyncFunctionSpec, 'runtime' | 'tracing' | 'logRetention'> {
  return {
    runtime: props.runtime ?? DEFAULT_RUNTIME,
    tracing: props.tracing ?? lambda.Tracing.DISABLED,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
  };
}
