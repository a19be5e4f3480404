import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointStore } from '../../src/checkpoint';
import { CheckpointExistsError, CheckpointMismatchError, CheckpointNotFoundError, CorruptCheckpointError } from '../../src/errors';
import { counts, tempDir } from '../helpers/factories';

const segmentIds = ['0', '1', '2'];

async function checkpointFile(): Promise<string> {
  return path.join(await tempDir(), 'nested', 'orders.checkpoint.json');
}

describe('CheckpointStore', () => {
  it('creates the file (and its directory) for a fresh run, with no segment started', async () => {
    // given
    const file = await checkpointFile();
    // when
    const store = await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    // then
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ kind: 'ddb-os-backfill-checkpoint', source: 'table:orders', segmentIds, runs: 1, segments: {} });
    expect(store.pendingSegments()).toEqual(segmentIds);
    expect(store.resumed).toBe(false);
  });

  it('refuses to start a fresh run over an existing checkpoint', async () => {
    // given
    const file = await checkpointFile();
    await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    // when
    const reopen = CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    // then
    await expect(reopen).rejects.toThrow(CheckpointExistsError);
    await expect(reopen).rejects.toThrow(/--resume .* --restart/);
  });

  it('saves each committed page: position, pages and counts add up, a null position finishes the segment', async () => {
    // given
    const file = await checkpointFile();
    const store = await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    // when
    await store.commit('1', { next: { pk: { S: 'a' } }, counts: counts({ read: 10, indexed: 9, failed: 1 }) });
    await store.commit('1', { next: null, counts: counts({ read: 5, indexed: 3, stale: 2 }) });
    await store.commit('2', { next: { pk: { S: 'k' } }, counts: counts({ read: 7, unrouted: 7 }) });
    // then
    const resumed = await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'resume' });
    expect(resumed.segment('1')).toEqual({
      position: null,
      done: true,
      pages: 2,
      counts: counts({ read: 15, indexed: 12, stale: 2, failed: 1 }),
    });
    expect(resumed.segment('2')).toEqual({ position: { pk: { S: 'k' } }, done: false, pages: 1, counts: counts({ read: 7, unrouted: 7 }) });
    expect(resumed.pendingSegments()).toEqual(['0', '2']);
    expect(resumed.totals()).toEqual({ ...counts({ read: 22, indexed: 12, stale: 2, unrouted: 7, failed: 1 }), pages: 3, segmentsDone: 1 });
    expect(resumed.resumed).toBe(true);
  });

  it('writes atomically: concurrent commits all land and no temporary file is left', async () => {
    // given
    const file = await checkpointFile();
    const store = await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    // when
    await Promise.all(segmentIds.map((id) => store.commit(id, { next: { pk: { S: id } }, counts: counts({ read: 1 }) })));
    await store.close();
    // then
    const saved = JSON.parse(await readFile(file, 'utf8')) as { segments: Record<string, unknown> };
    expect(Object.keys(saved.segments).sort()).toEqual(segmentIds);
    expect(await readdir(path.dirname(file))).toEqual(['orders.checkpoint.json']);
  });

  it('counts the runs of a resumed backfill', async () => {
    // given
    const file = await checkpointFile();
    await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    // when
    await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'resume' });
    await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'resume' });
    // then
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ runs: 3 });
  });

  it('refuses to resume without a checkpoint, or one of another source or segmentation', async () => {
    // given
    const file = await checkpointFile();
    // when / then
    await expect(CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'resume' })).rejects.toThrow(
      CheckpointNotFoundError,
    );
    await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    await expect(CheckpointStore.open({ file, source: 'table:other', segmentIds, mode: 'resume' })).rejects.toThrow(
      /source is table:orders, this run asks for table:other/,
    );
    await expect(CheckpointStore.open({ file, source: 'table:orders', segmentIds: ['0', '1'], mode: 'resume' })).rejects.toThrow(
      CheckpointMismatchError,
    );
  });

  it('restarts over an existing checkpoint when asked to', async () => {
    // given
    const file = await checkpointFile();
    const first = await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    await first.commit('0', { next: null, counts: counts({ read: 3 }) });
    // when
    const restarted = await CheckpointStore.open({ file, source: 'table:orders', segmentIds: ['0'], mode: 'restart' });
    // then
    expect(restarted.segment('0')).toBeUndefined();
    expect(restarted.pendingSegments()).toEqual(['0']);
  });

  it('names what is wrong with a corrupt checkpoint file', async () => {
    // given
    const file = await checkpointFile();
    await CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'fresh' });
    await writeFile(file, JSON.stringify({ kind: 'ddb-os-backfill-checkpoint', version: 1, source: 'table:orders', segmentIds, runs: 0 }));
    // when
    const resume = CheckpointStore.open({ file, source: 'table:orders', segmentIds, mode: 'resume' });
    // then
    await expect(resume).rejects.toThrow(CorruptCheckpointError);
    await expect(resume).rejects.toThrow(/createdAt.*runs.*segments|runs/);
  });

  it('refuses a commit for a segment the source does not have', async () => {
    // given
    const store = await CheckpointStore.open({ file: await checkpointFile(), source: 'table:orders', segmentIds, mode: 'fresh' });
    // when / then
    await expect(store.commit('9', { next: null, counts: counts() })).rejects.toThrow(/unknown segment "9"/);
  });
});
