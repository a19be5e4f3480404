import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sleep, writeAtomically } from '../../src';

describe('sleep', () => {
  it('waits about the time asked', async () => {
    // when
    const startedAt = Date.now();
    await sleep(50);
    // then
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(45);
  });

  it('resolves early, without rejecting, when its signal aborts', async () => {
    // given
    const controller = new AbortController();
    const startedAt = Date.now();
    setTimeout(() => controller.abort(), 20);
    // when
    await expect(sleep(10_000, controller.signal)).resolves.toBeUndefined();
    // then
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it('returns at once for an aborted signal or a delay of zero or less', async () => {
    const startedAt = Date.now();
    await sleep(10_000, AbortSignal.abort());
    await sleep(0);
    await sleep(-5);
    expect(Date.now() - startedAt).toBeLessThan(100);
  });
});

describe('writeAtomically', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'node-io-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('creates the directory and replaces the content, leaving no temporary file', async () => {
    // given
    const file = path.join(directory, 'nested', 'state.json');
    // when
    await writeAtomically(file, '{"a":1}');
    await writeAtomically(file, '{"a":2}');
    // then
    expect(await readFile(file, 'utf8')).toBe('{"a":2}');
    expect(await readdir(path.dirname(file))).toEqual(['state.json']);
  });

  it('keeps the old content and removes its temporary file when the rename fails', async () => {
    // given a directory where the file should be: rename cannot replace it
    const file = path.join(directory, 'state.json');
    await mkdir(file);
    await writeFile(path.join(file, 'inside'), 'x');
    // when / then
    await expect(writeAtomically(file, 'new')).rejects.toThrow();
    expect(await readdir(directory)).toEqual(['state.json']);
  });
});
