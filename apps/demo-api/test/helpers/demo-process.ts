/*
 * The all-in-one demo (`src/serve.ts`, what `nx serve demo-api` runs) in a child process whose environment has no
 * AWS_* variable at all, as on a new user's machine, on a unique table, unique indexes and a unique archive bucket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { workspaceRoot } from '@ddb-os/local-stack';
import { physicalIndexName } from '@ddb-os/opensearch-mapping';
import { dynamoClient, openSearchClient, s3Client, sqsClient } from '@ddb-os/testing';
import { uniqueName } from './local-demo';
import { deleteBucket } from './s3';

const READY_TIMEOUT_MS = 120_000;
const READY_LINE = /Demo ready: (http:\/\/\S+)/;

export interface DemoProcess {
  readonly url: string;
  readonly names: { readonly table: string; readonly products: string; readonly reviews: string; readonly bucket: string };
  /** The environment the demo was started with (no AWS_* variable). */
  readonly env: Readonly<Record<string, string>>;
  /** Everything it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then removes the table, queues, indexes, bucket and checkpoint file it used. */
  close(): Promise<void>;
}

/** The process environment without any AWS_* variable (credentials, region, profile, CA bundle…). */
export function environmentWithoutAws(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !entry[0].startsWith('AWS_') && entry[1] !== undefined),
  );
}

/**
 * Starts `serve.ts` with `tsx` (as `nx serve demo-api` does) and resolves once it printed its URL.
 *
 * @example
 * const demo = await startDemoProcess();
 * await fetch(`${demo.url}/api/failures`);
 * await demo.close();
 */
export async function startDemoProcess(): Promise<DemoProcess> {
  const root = workspaceRoot();
  const names = {
    table: uniqueName('demo-np'),
    products: uniqueName('products-np'),
    reviews: uniqueName('reviews-np'),
    bucket: uniqueName('demo-np-failures'),
  };
  const env = {
    ...environmentWithoutAws(),
    PORT: '0',
    DEMO_TABLE: names.table,
    DEMO_PRODUCTS_INDEX: names.products,
    DEMO_REVIEWS_INDEX: names.reviews,
    ARCHIVE_BUCKET: names.bucket,
    DEMO_SEED: '0',
  };
  const child = spawn(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    ['--tsconfig', 'apps/demo-api/tsconfig.json', 'apps/demo-api/src/serve.ts'],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const close = async () => {
    await stopChild(child);
    await removeResources(names, path.join(root, '.cache', 'demo-api', `${names.table}.checkpoints.json`));
  };
  try {
    const url = await readyUrl(child, () => output);
    return { url, names, env, output: () => output, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function readyUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`the demo did not print its URL within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`)),
      READY_TIMEOUT_MS,
    );
    const onData = () => {
      const url = READY_LINE.exec(output())?.[1];
      if (url) finish(undefined, url);
    };
    const onExit = (code: number | null) => finish(new Error(`the demo exited with ${code} before it was ready:\n${output()}`));
    function finish(error: Error | undefined, url?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(url as string);
    }
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function removeResources(names: DemoProcess['names'], checkpointFile: string): Promise<void> {
  const [dynamodb, sqs, s3, openSearch] = [dynamoClient(), sqsClient(), s3Client(), openSearchClient()];
  const queueUrl = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  await Promise.allSettled([
    dynamodb.send(new DeleteTableCommand({ TableName: names.table })),
    ...[`${names.table}-dlq`, `${names.table}-on-failure`].map(async (name) =>
      sqs.send(new DeleteQueueCommand({ QueueUrl: await queueUrl(name) })),
    ),
    openSearch.indices.delete({ index: [physicalIndexName(names.products, 1), physicalIndexName(names.reviews, 1)] }),
    deleteBucket(s3, names.bucket),
  ]);
  rmSync(checkpointFile, { force: true });
  dynamodb.destroy();
  sqs.destroy();
  s3.destroy();
  await openSearch.close();
}
