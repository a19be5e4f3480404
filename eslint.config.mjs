import nx from '@nx/eslint-plugin';

/**
 * Apps and tools depend on libs, never the reverse; domain libs depend only on domain libs.
 * `layer:pure` libs (no SDK clients, no fs/net: decoding, mapping, schemas, config) depend only on pure libs,
 * so the I/O stays in `layer:io` libs and apps. `scope:local` (local stack, stream runner) is for the local
 * demo and the bench only; test files may also use the testing libs (local-stack endpoints, fixtures, fault proxy).
 */
const moduleBoundaries = (forTests) => {
  const testing = forTests ? ['scope:testing', 'scope:local'] : [];
  return {
    enforceBuildableLibDependency: true,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: ['scope:domain', ...testing] },
      { sourceTag: 'scope:sync', onlyDependOnLibsWithTags: ['scope:domain', ...testing] },
      { sourceTag: 'scope:ops', onlyDependOnLibsWithTags: ['scope:domain', ...testing] },
      { sourceTag: 'layer:pure', onlyDependOnLibsWithTags: ['layer:pure', ...testing] },
      // The operators' CLI (apps/cli) composes the ops commands; its `run` is the local stream runner by nature.
      { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:ops', 'scope:domain', 'scope:local', ...testing] },
      // The bench is a local harness by nature: it drives the local stack, the stream runner and the stack's clients.
      { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:domain', 'scope:local', 'scope:testing'] },
      // Only the local demo embeds the local stack and stream runner; production Lambdas never bundle them.
      { sourceTag: 'scope:demo', onlyDependOnLibsWithTags: ['scope:domain', 'scope:local', ...testing] },
      { sourceTag: 'scope:local', onlyDependOnLibsWithTags: ['scope:local', 'scope:domain', 'scope:testing'] },
      { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:infra', 'scope:domain', ...testing] },
      { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:testing', 'scope:domain'] },
    ],
  };
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.cache', '**/cdk.out', '**/coverage', '**/tmp'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(false)],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(true)],
      // Skipped or focused tests are defects, not work in progress.
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only' },
        { object: 'it', property: 'only' },
        { object: 'test', property: 'only' },
        { object: 'describe', property: 'skip' },
        { object: 'it', property: 'skip' },
        { object: 'test', property: 'skip' },
      ],
      'no-restricted-globals': ['error', 'fdescribe', 'fit', 'xdescribe', 'xit', 'xtest'],
    },
  },
];
