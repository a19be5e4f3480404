import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CheckpointStore } from '../../src/checkpoint-store';
import { CheckpointFileError } from '../../src/errors';
import { SHARD_ID, STREAM_ARN } from '../helpers/factories';

const tempFile = async (): Promise<string> => path.join(await mkdtemp(path.join(tmpdir(), 'stream-runner-')), 'nested', 'orders.json');

describe('CheckpointStore', () => {
  it('starts empty when the file does not exist', async () => {
    // given
    const file = await tempFile();
    // when
    const store = await CheckpointStore.open(file);
    // then
    expect(store.hasStream(STREAM_ARN)).toBe(false);
    expect(store.get(STREAM_ARN, SHARD_ID)).toBeUndefined();
  });

  it('persists checkpoints per stream ARN and shard, readable by a new store', async () => {
    // given
    const file = await tempFile();
    const store = await CheckpointStore.open(file);
    // when
    await store.checkpoint(STREAM_ARN, SHARD_ID, '1200');
    await store.markFinished(STREAM_ARN, 'shard-closed');
    const reopened = await CheckpointStore.open(file);
    // then
    expect(reopened.get(STREAM_ARN, SHARD_ID)?.sequenceNumber).toBe('1200');
    expect(reopened.get(STREAM_ARN, 'shard-closed')?.finished).toBe(true);
    expect(reopened.hasStream(`${STREAM_ARN}-reenabled`)).toBe(false);
  });

  it('never moves a checkpoint backwards (sequence numbers compared as numbers)', async () => {
    // given
    const store = await CheckpointStore.open(await tempFile());
    await store.checkpoint(STREAM_ARN, SHARD_ID, '1000');
    // when
    await store.checkpoint(STREAM_ARN, SHARD_ID, '999');
    // then
    expect(store.get(STREAM_ARN, SHARD_ID)?.sequenceNumber).toBe('1000');
  });

  it('writes atomically: concurrent updates leave one valid file and no temporary files', async () => {
    // given
    const file = await tempFile();
    const store = await CheckpointStore.open(file);
    // when
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.checkpoint(STREAM_ARN, `shard-${index}`, String(100 + index))));
    // then
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(saved.streams[STREAM_ARN].shards)).toHaveLength(20);
    expect(await readdir(path.dirname(file))).toEqual(['orders.json']);
  });

  it('ignores updates after close (the runner stopped)', async () => {
    // given
    const store = await CheckpointStore.open(await tempFile());
    await store.close();
    // when
    await store.checkpoint(STREAM_ARN, SHARD_ID, '5');
    // then
    expect(store.get(STREAM_ARN, SHARD_ID)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['another document', JSON.stringify({ version: 2, streams: {} }), /version/],
    [
      'a bad sequence number',
      JSON.stringify({ version: 1, streams: { a: { shards: { s: { sequenceNumber: 'x', updatedAt: 't' } } } } }),
      /sequenceNumber/,
    ],
  ])('rejects a file holding %s, naming the problem', async (_label, content, problem) => {
    // given
    const file = await tempFile();
    await CheckpointStore.open(file).then((store) => store.checkpoint(STREAM_ARN, SHARD_ID, '1'));
    await writeFile(file, content);
    // when
    const opening = CheckpointStore.open(file);
    // then
    await expect(opening).rejects.toThrow(CheckpointFileError);
    await expect(CheckpointStore.open(file)).rejects.toThrow(problem);
  });
});
