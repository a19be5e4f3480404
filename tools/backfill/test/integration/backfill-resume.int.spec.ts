import { readFile } from 'node:fs/promises';
import { dynamoClient, openSearchClient } from '@ddb-os/testing';
import type { PageCommittedEvent } from '../../src/backfill';
import type { SegmentPosition } from '../../src/types';
import { catalogItems, syncTarget, tempDir } from '../helpers/factories';
import { backfill, scanBackfillOptions, verify, type TestClients } from '../helpers/run';
import { createTestStack, destroyTestStack, putItems, type TestStack } from '../helpers/stack';

jest.setTimeout(90_000);

const ITEMS = 1_200;

interface SavedCheckpoint {
  readonly runs: number;
  readonly segments: Record<string, { position: SegmentPosition | null; done: boolean; counts: { read: number } }>;
}

async function readCheckpoint(file: string): Promise<SavedCheckpoint> {
  return JSON.parse(await readFile(file, 'utf8')) as SavedCheckpoint;
}

describe('an interrupted backfill resumed with --resume', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  let stack: TestStack;
  let clients: TestClients;

  beforeAll(async () => {
    stack = await createTestStack(dynamo, 'bf-resume');
    clients = { dynamo, openSearch, target: syncTarget(stack.routes) };
    await putItems(dynamo, stack.table, catalogItems(ITEMS));
  });

  afterAll(async () => {
    await destroyTestStack(dynamo, openSearch, stack);
    dynamo.destroy();
    await openSearch.close();
  });

  it('continues every segment from its checkpoint, reads each item once, and ends with zero drift', async () => {
    // given: a backfill aborted after 8 committed pages (about half of them)
    const directory = await tempDir();
    const options = scanBackfillOptions(stack.table, directory, {
      source: { kind: 'scan', table: stack.table, segments: 4, pageSize: 75 },
    });
    const controller = new AbortController();
    const firstRun: PageCommittedEvent[] = [];
    const interrupted = await backfill(clients, options, {
      signal: controller.signal,
      onPageCommitted: (event) => {
        firstRun.push(event);
        if (event.pagesThisRun === 8) controller.abort();
      },
    });
    expect(interrupted.status).toBe('aborted');
    expect(interrupted.segments.done).toBeLessThan(4);
    const saved = await readCheckpoint(options.checkpointFile);
    const savedPositions = new Map<string, SegmentPosition | null>(
      ['0', '1', '2', '3'].map((id) => [id, saved.segments[id]?.position ?? null]),
    );
    const savedDone = new Set(['0', '1', '2', '3'].filter((id) => saved.segments[id]?.done === true));
    const readBefore = Object.values(saved.segments).reduce((sum, segment) => sum + segment.counts.read, 0);
    expect(readBefore).toBe(interrupted.readThisRun);
    expect(readBefore).toBeLessThan(ITEMS);

    // when
    const secondRun: PageCommittedEvent[] = [];
    const resumed = await backfill(clients, { ...options, mode: 'resume' }, { onPageCommitted: (event) => secondRun.push(event) });

    // then: completed, every item read exactly once over both runs
    expect(resumed.status).toBe('completed');
    expect(resumed.counts).toEqual({ read: ITEMS, indexed: ITEMS, stale: 0, unrouted: 0, failed: 0 });
    expect(readBefore + resumed.readThisRun).toBe(ITEMS);
    // no finished segment was read again, and no started segment restarted from its beginning
    const resumedSegments = new Set(secondRun.map((event) => event.segment));
    for (const id of savedDone) expect(resumedSegments.has(id)).toBe(false);
    for (const id of resumedSegments) {
      const first = secondRun.find((event) => event.segment === id);
      const position = savedPositions.get(id);
      if (firstRun.some((event) => event.segment === id)) {
        expect(position).not.toBeNull();
        expect(first?.startedFrom).toEqual(position);
      } else {
        expect(first?.startedFrom).toBeUndefined();
      }
    }
    const checkpoint = await readCheckpoint(options.checkpointFile);
    expect(checkpoint.runs).toBe(2);
    expect(Object.values(checkpoint.segments).every((segment) => segment.done)).toBe(true);
    expect((await verify(clients, stack.table, { counts: false })).status).toBe('clean');
  });

  it('refuses a fresh run over the checkpoint of an earlier one', async () => {
    // given
    const directory = await tempDir();
    const options = scanBackfillOptions(stack.table, directory, {
      source: { kind: 'scan', table: stack.table, segments: 2, pageSize: 1_000 },
    });
    await backfill(clients, options);
    // when / then
    await expect(backfill(clients, options)).rejects.toThrow(/already exists: pass --resume/);
    await expect(
      backfill(clients, { ...options, mode: 'resume', source: { kind: 'scan', table: stack.table, segments: 3 } }),
    ).rejects.toThrow(/segments/);
  });
});
