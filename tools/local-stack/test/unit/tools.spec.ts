import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLines, tailFile } from '../../src/log-tail';
import { findOnPath, parseJavaMajor } from '../../src/tools';

describe('parseJavaMajor', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_392"', 8],
  ])('reads %j as %i', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });

  it('returns undefined for output without a version', () => {
    expect(parseJavaMajor('command not found')).toBeUndefined();
  });
});

describe('findOnPath', () => {
  it('finds an executable and ignores a non-executable file of the same name', () => {
    // given two directories, the first with a non-executable file
    const first = mkdtempSync(join(tmpdir(), 'ls-path-'));
    const second = mkdtempSync(join(tmpdir(), 'ls-path-'));
    writeFileSync(join(first, 'tool'), '');
    writeFileSync(join(second, 'tool'), '#!/bin/sh\n');
    chmodSync(join(second, 'tool'), 0o755);

    // when / then
    expect(findOnPath('tool', `${first}:${second}`)).toBe(join(second, 'tool'));
    expect(findOnPath('missing-tool', `${first}:${second}`)).toBeUndefined();
  });
});

describe('lastLines / tailFile', () => {
  it('keeps the last lines without colour codes', () => {
    expect(lastLines('a\nb\n\u001b[31mc\u001b[0m\n', 2)).toBe('b\nc');
  });

  it('reads the tail of a file and returns nothing for a missing file', () => {
    // given
    const file = join(mkdtempSync(join(tmpdir(), 'ls-log-')), 'server.log');
    writeFileSync(file, Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n'));

    // when / then
    expect(tailFile(file, 3)).toBe('line 97\nline 98\nline 99');
    expect(tailFile(`${file}.missing`)).toBe('');
  });
});
