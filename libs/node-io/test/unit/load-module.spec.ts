import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModuleAt } from '../../src';

describe('loadModuleAt', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'load-module-'));
    await writeFile(path.join(directory, 'good.js'), 'exports.answer = 42;');
    await writeFile(path.join(directory, 'bad.js'), 'throw new Error("boom at load");');
  });

  it('loads a module relative to cwd', () => {
    expect(loadModuleAt('good.js', directory)).toEqual({ ok: true, exports: { answer: 42 } });
  });

  it('says which path does not exist, and why a module failed to load (with the error as cause)', () => {
    expect(loadModuleAt('missing.js', directory)).toEqual({ ok: false, reason: `${path.join(directory, 'missing.js')} does not exist` });
    const failed = loadModuleAt('bad.js', directory);
    expect(failed).toMatchObject({ ok: false, reason: 'the module failed to load: boom at load' });
    expect(failed.ok ? undefined : failed.cause).toBeInstanceOf(Error);
  });
});
