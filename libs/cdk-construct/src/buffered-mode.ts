import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { QUEUE_RETENTION, VISIBILITY_TIMEOUT_FACTOR } from './constants';
import { failureQueueProps } from './failure-storage';
import { alarmFactory } from './monitoring';
import type { BufferedModeAlarms } from './types';

/** The SNS FIFO topic the stream reader publishes to, and the SQS FIFO queue the writer consumes. */
export interface BufferResources {
  readonly topic: sns.Topic;
  readonly queue: sqs.Queue;
  /** Redrive target of the buffer queue (a FIFO queue's dead-letter queue must be FIFO too). */
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * Creates the buffer: an SNS FIFO topic (AWS-managed SSE, TLS only) with the SQS FIFO queue subscribed
 * by raw message delivery, so the writer receives the stream record itself. Deduplication uses the
 * publisher's ids (the record's eventID), never content. The queue redrives to a FIFO dead-letter queue
 * after `maxReceiveCount` receives.
 */
export function createBuffer(
  scope: Construct,
  options: { readonly writerTimeout: Duration; readonly maxReceiveCount: number },
): BufferResources {
  const deadLetterQueue = new sqs.Queue(scope, 'BufferDeadLetterQueue', { ...failureQueueProps, fifo: true });
  const queue = new sqs.Queue(scope, 'BufferQueue', {
    fifo: true,
    contentBasedDeduplication: false,
    // High-throughput FIFO: limits apply per document group; a duplicate always shares its record's group.
    deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
    fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: QUEUE_RETENTION,
    visibilityTimeout: Duration.seconds(options.writerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: options.maxReceiveCount },
  });
  const topic = new sns.Topic(scope, 'BufferTopic', {
    fifo: true,
    contentBasedDeduplication: false,
    fifoThroughputScope: sns.FifoThroughputScope.MESSAGE_GROUP,
    enforceSSL: true,
    masterKey: kms.Alias.fromAliasName(scope, 'BufferTopicKey', 'alias/aws/sns'),
  });
  topic.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: true }));
  return { topic, queue, deadLetterQueue };
}

/** Lets the stream reader publish to the buffer topic and park unbufferable records in the poison DLQ. */
export function grantStreamReader(role: iam.Role, topic: sns.ITopic, poisonQueue: sqs.IQueue): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PublishToBuffer', actions: ['sns:Publish'], resources: [topic.topicArn] }));
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'SendPoisonRecords', actions: ['sqs:SendMessage'], resources: [poisonQueue.queueArn] }),
  );
}

/** The writer consumes the buffer queue with partial batch responses (at most 10 messages per batch on FIFO). */
export function connectWriter(writer: lambda.Function, queue: sqs.IQueue, batchSize: number): SqsEventSource {
  const eventSource = new SqsEventSource(queue, { batchSize, reportBatchItemFailures: true });
  writer.addEventSource(eventSource);
  return eventSource;
}

/** Alarms specific to buffered mode: the reader's health, the buffer's lag and its dead-letter queue. */
export function createBufferedModeAlarms(
  scope: Construct,
  targets: {
    readonly streamReader: lambda.Function;
    readonly buffer: BufferResources;
    readonly ageThreshold: Duration;
    readonly alarmTopic: sns.ITopic | undefined;
  },
): BufferedModeAlarms {
  const fiveMinutes = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
  const maximum = { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM };
  const createAlarm = alarmFactory(scope, targets.alarmTopic);
  const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string, evaluationPeriods = 1): cloudwatch.Alarm =>
    createAlarm(id, { metric, threshold, description, evaluationPeriods });
  return {
    streamReaderErrors: alarm(
      'StreamReaderErrorsAlarm',
      targets.streamReader.metricErrors(fiveMinutes),
      1,
      'The stream reader failed whole invocations; its stream batches are being retried.',
    ),
    streamReaderThrottles: alarm(
      'StreamReaderThrottlesAlarm',
      targets.streamReader.metricThrottles(fiveMinutes),
      1,
      'The stream reader was throttled.',
    ),
    bufferQueueAge: alarm(
      'BufferQueueAgeAlarm',
      targets.buffer.queue.metricApproximateAgeOfOldestMessage(maximum),
      targets.ageThreshold.toSeconds(),
      `A buffered change has waited ${targets.ageThreshold.toHumanString()} or more for 5 minutes: the writer is failing, throttled or too slow (index lag).`,
      5,
    ),
    bufferDeadLetterQueueDepth: alarm(
      'BufferDeadLetterQueueDepthAlarm',
      targets.buffer.deadLetterQueue.metricApproximateNumberOfMessagesVisible(maximum),
      1,
      'Buffered changes exhausted their receives: inspect them and redrive the buffer dead-letter queue to the buffer queue (harmless: writes are versioned).',
    ),
  };
}
