import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, REAL_AWS_ENDPOINT } from '@ddb-os/node-io';
import { z } from 'zod';
import { DEFAULTS } from './constants';
import { InvalidRunnerOptionsError } from './errors';
import type { OnFailureDestination, OnFailureRecord, StreamsApi, TablesApi } from './types';

/** The DynamoDB endpoint of the environment (`DYNAMODB_ENDPOINT`, default the local moto server); throws naming a bad value. */
export const dynamodbEndpoint = (env: NodeJS.ProcessEnv = process.env): string =>
  endpointOf(env, 'DYNAMODB_ENDPOINT', DEFAULTS.dynamodbEndpoint);

/** The SQS endpoint of the environment (`SQS_ENDPOINT`, default the local ElasticMQ); throws naming a bad value. */
export const sqsEndpoint = (env: NodeJS.ProcessEnv = process.env): string => endpointOf(env, 'SQS_ENDPOINT', DEFAULTS.sqsEndpoint);

function endpointOf(env: NodeJS.ProcessEnv, variable: string, fallback: string): string {
  const value = env[variable] || fallback;
  if (value !== REAL_AWS_ENDPOINT && !z.url({ protocol: /^https?$/ }).safeParse(value).success) {
    throw new InvalidRunnerOptionsError([
      `${variable}: must be an http(s) URL (e.g. ${fallback}) or "${REAL_AWS_ENDPOINT}" for the real AWS endpoint, got "${value}"`,
    ]);
  }
  return value;
}

/**
 * DynamoDB Streams through the AWS SDK; SDK errors pass through with their AWS names.
 * @example const streams = sdkStreamsApi(new DynamoDBStreamsClient(awsClientConfig(dynamodbEndpoint())));
 */
export function sdkStreamsApi(client: DynamoDBStreamsClient): StreamsApi {
  return {
    async describeStream({ streamArn, exclusiveStartShardId }) {
      const output = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
      const description = output.StreamDescription;
      return {
        streamStatus: description?.StreamStatus,
        lastEvaluatedShardId: description?.LastEvaluatedShardId,
        shards: (description?.Shards ?? []).flatMap((shard) =>
          shard.ShardId === undefined
            ? []
            : [
                {
                  shardId: shard.ShardId,
                  parentShardId: shard.ParentShardId,
                  startingSequenceNumber: shard.SequenceNumberRange?.StartingSequenceNumber,
                  endingSequenceNumber: shard.SequenceNumberRange?.EndingSequenceNumber,
                },
              ],
        ),
      };
    },
    async getShardIterator({ streamArn, shardId, position }) {
      const output = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: position.type,
          SequenceNumber: 'sequenceNumber' in position ? position.sequenceNumber : undefined,
        }),
      );
      return output.ShardIterator;
    },
    async getRecords({ shardIterator, limit }) {
      const output = await client.send(new GetRecordsCommand({ ShardIterator: shardIterator, Limit: limit }));
      return { records: output.Records ?? [], nextShardIterator: output.NextShardIterator };
    },
  };
}

/** DescribeTable through the AWS SDK. */
export function sdkTablesApi(client: DynamoDBClient): TablesApi {
  return {
    async latestStreamArn(tableName) {
      const output = await client.send(new DescribeTableCommand({ TableName: tableName }));
      return output.Table?.StreamSpecification?.StreamEnabled === false ? undefined : output.Table?.LatestStreamArn;
    },
  };
}

/**
 * Sends on-failure records as JSON SQS messages, like Lambda's SQS destination.
 * @example sqsOnFailureDestination(new SQSClient(awsClientConfig(sqsEndpoint())), queueUrl)
 */
export function sqsOnFailureDestination(client: SQSClient, queueUrl: string): OnFailureDestination {
  return {
    description: `sqs:${queueUrl}`,
    async send(record: OnFailureRecord) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(record) }));
    },
  };
}

/** Default SDK clients for the environment's endpoints. */
export function defaultClients(env: NodeJS.ProcessEnv = process.env): { streams: StreamsApi; tables: TablesApi } {
  const config = awsClientConfig(dynamodbEndpoint(env), env);
  return { streams: sdkStreamsApi(new DynamoDBStreamsClient(config)), tables: sdkTablesApi(new DynamoDBClient(config)) };
}

/** An SQS on-failure destination on the environment's SQS endpoint. */
export function defaultSqsDestination(queueUrl: string, env: NodeJS.ProcessEnv = process.env): OnFailureDestination {
  return sqsOnFailureDestination(new SQSClient(awsClientConfig(sqsEndpoint(env), env)), queueUrl);
}
