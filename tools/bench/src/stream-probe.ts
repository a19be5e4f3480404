import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import { BenchError } from './errors';
import { sleep } from './timing';

/** A reader of a table's stream of its own, beside the stream runner. */
export interface StreamProbe {
  stop(): Promise<void>;
}

/**
 * Reads the stream of `table` from its latest position, independently of the stream runner (a second reader per
 * shard is within DynamoDB's limit of two), and reports each record with the time a GetRecords first returned it:
 * when the record became visible in the stream, the local DynamoDB server's own figure (to within `pollMs`). Polls
 * each shard every `pollMs`, up to 1,000 records a call. Shards opened after the start are not followed.
 *
 * @example
 * const probe = await startStreamProbe(streams, table, (record, at) => console.log(record.eventID, at));
 * await probe.stop();
 */
export async function startStreamProbe(
  client: DynamoDBStreamsClient,
  table: string,
  onRecord: (record: _Record, at: number) => void,
  pollMs = 50,
): Promise<StreamProbe> {
  const { Streams = [] } = await client.send(new ListStreamsCommand({ TableName: table }));
  const streamArn = Streams[0]?.StreamArn;
  if (streamArn === undefined) throw new BenchError(`stream probe: table ${table} has no stream`);
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const openShards = (StreamDescription?.Shards ?? []).filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined);
  const iterators = await Promise.all(
    openShards.map(
      async (shard) =>
        (await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'LATEST' })))
          .ShardIterator,
    ),
  );
  let running = true;
  const readShard = async (first: string | undefined): Promise<void> => {
    let iterator = first;
    while (running && iterator !== undefined) {
      const { Records = [], NextShardIterator } = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const at = performance.now();
      for (const record of Records) onRecord(record, at);
      iterator = NextShardIterator;
      // Every pollMs even while records flow: a bounded load on the server whose latency it measures.
      await sleep(pollMs);
    }
  };
  let failure: unknown;
  // Kept until stop(): a failed read must fail the run, not the process through an unhandled rejection.
  const done = Promise.all(iterators.map(readShard)).then(
    () => undefined,
    (error: unknown) => void (failure = error),
  );
  return {
    stop: async () => {
      running = false;
      await done;
      if (failure !== undefined)
        throw new BenchError(`stream probe of ${table}: ${failure instanceof Error ? failure.message : String(failure)}`);
    },
  };
}
