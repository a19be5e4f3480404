import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoClient, openSearchClient, stackEndpoints, waitFor } from '@ddb-os/testing';
import { catalogItems, syncEnvironment, syncTarget, tempDir } from '../helpers/factories';
import { verify, type TestClients } from '../helpers/run';
import { createTestStack, destroyTestStack, putItems, type TestStack } from '../helpers/stack';

jest.setTimeout(180_000);

const WORKSPACE = path.resolve(__dirname, '../../../..');
/** The real `ddb-os` launcher (`npx ddb-os`), with a definition module holding this test's index names. */
const CLI = ['apps/cli/bin/ddb-os.cjs', '--definition', 'tools/backfill/test/fixtures/demo-definition.ts'];
const ITEMS = 1_200;
const SEGMENTS = 4;

interface SavedSegment {
  readonly done: boolean;
  readonly counts: { readonly read: number };
}

async function savedSegments(file: string): Promise<Record<string, SavedSegment>> {
  if (!existsSync(file)) return {};
  const text = await readFile(file, 'utf8').catch(() => '');
  try {
    return (JSON.parse(text) as { segments: Record<string, SavedSegment> }).segments;
  } catch {
    return {};
  }
}

function readSoFar(segments: Record<string, SavedSegment>): number {
  return Object.values(segments).reduce((sum, segment) => sum + segment.counts.read, 0);
}

/** Items of each Scan segment, counted with a plain parallel Scan. */
async function segmentSizes(dynamo: DynamoDBClient, table: string): Promise<number[]> {
  return Promise.all(
    Array.from({ length: SEGMENTS }, async (_, segment) => {
      let count = 0;
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamo.send(
          new ScanCommand({ TableName: table, Segment: segment, TotalSegments: SEGMENTS, ExclusiveStartKey: startKey, Select: 'COUNT' }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return count;
    }),
  );
}

function startCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: WORKSPACE, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exit };
}

/** A new user's shell: no AWS_* variables (the CLI uses the local stack's dummy credentials on loopback). */
function withoutAwsVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_')));
}

describe('a backfill process killed halfway (SIGKILL) and run again with --resume', () => {
  const dynamo = dynamoClient();
  const openSearch = openSearchClient();
  let stack: TestStack;
  let clients: TestClients;

  beforeAll(async () => {
    stack = await createTestStack(dynamo, 'bf-kill');
    clients = { dynamo, openSearch, target: syncTarget(stack.routes) };
    await putItems(dynamo, stack.table, catalogItems(ITEMS));
  });

  afterAll(async () => {
    await destroyTestStack(dynamo, openSearch, stack);
    dynamo.destroy();
    await openSearch.close();
  });

  it('completes from the checkpoints: every segment read exactly once in total, zero drift', async () => {
    // given: the CLI, slowed by a read-capacity limit, killed once about a third of the items are checkpointed
    const directory = await tempDir();
    const checkpointFile = path.join(directory, 'checkpoint.json');
    const endpoints = stackEndpoints();
    const env = {
      ...withoutAwsVariables(process.env),
      ...syncEnvironment(),
      DYNAMODB_ENDPOINT: endpoints.dynamodb,
      BACKFILL_TEST_PRODUCTS: stack.products,
      BACKFILL_TEST_REVIEWS: stack.reviews,
    };
    const args = [
      'backfill',
      '--table',
      stack.table,
      '--segments',
      String(SEGMENTS),
      '--concurrency',
      String(SEGMENTS),
      '--page-size',
      '25',
      '--progress',
      'none',
    ];
    const files = ['--checkpoint-file', checkpointFile, '--failures-file', path.join(directory, 'failures.ndjson')];
    const first = startCli([...args, ...files, '--max-rcu', '8'], env);
    await waitFor(async () => readSoFar(await savedSegments(checkpointFile)) >= ITEMS / 3, {
      timeoutMs: 120_000,
      intervalMs: 50,
      description: 'a third of the items checkpointed',
    });
    first.child.kill('SIGKILL');
    const killed = await first.exit;
    expect(killed.signal).toBe('SIGKILL');
    const beforeResume = await savedSegments(checkpointFile);
    const readBefore = readSoFar(beforeResume);
    expect(readBefore).toBeLessThan(ITEMS);

    // when
    const resumed = await startCli([...args, ...files, '--resume'], env).exit;

    // then
    expect(resumed.stderr).not.toMatch(/Error/);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout.trim().split('\n').at(-1) ?? '{}') as {
      status: string;
      readThisRun: number;
      counts: { read: number; failed: number };
    };
    expect(summary).toMatchObject({ status: 'completed', counts: { read: ITEMS, failed: 0 } });
    // Pages read but not checkpointed before the kill are read again; nothing else: each segment's total equals its size.
    expect(summary.readThisRun).toBe(ITEMS - readBefore);
    const after = await savedSegments(checkpointFile);
    const sizes = await segmentSizes(dynamo, stack.table);
    expect(sizes.map((_, segment) => after[String(segment)]?.counts.read)).toEqual(sizes);
    expect(Object.values(after).every((segment) => segment.done)).toBe(true);
    await openSearch.indices.refresh({ index: `${stack.products}-write,${stack.reviews}-write` });
    const verified = await verify(clients, stack.table);
    expect(verified.drift).toEqual({ missing: 0, different: 0, extra: 0, invalid: 0 });
  });
});
