import { SYSTEM_USER_BASE_DIR } from '../../src/constants';
import { ownedDirs, systemUserDirFor } from '../../src/paths';
import type { StackPaths } from '../../src/types';

describe('systemUserDirFor', () => {
  it('gives each workspace cache its own directory under the base, the same one every time', () => {
    // when
    const first = systemUserDirFor('/root/a/.cache/local-stack');
    const again = systemUserDirFor('/root/a/.cache/local-stack');
    const other = systemUserDirFor('/root/b/.cache/local-stack');

    // then
    expect(first).toMatch(new RegExp(`^${SYSTEM_USER_BASE_DIR}/[0-9a-f]{16}$`));
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });
});

describe('ownedDirs', () => {
  const paths = (systemUserDir: string | undefined): StackPaths => ({
    workspaceRoot: '/w',
    cache: '/w/.cache/local-stack',
    run: '/w/.cache/local-stack/run',
    data: '/w/.cache/local-stack/data',
    downloads: '/w/.cache/local-stack/downloads',
    systemUserDir,
  });

  it('counts the system user directory as ours when there is one', () => {
    expect(ownedDirs(paths('/var/lib/ddb-os-local-stack/0123456789abcdef'))).toEqual([
      '/w/.cache/local-stack',
      '/var/lib/ddb-os-local-stack/0123456789abcdef',
    ]);
    expect(ownedDirs(paths(undefined))).toEqual(['/w/.cache/local-stack']);
  });
});
