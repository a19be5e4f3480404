const nxPreset = require('@nx/jest/preset').default;

/** Shared Jest settings: SWC transpiles TypeScript (type checking is the `typecheck` target's job). */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true } }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Projects with `*.int.spec.ts` files get the local stack (tools/local-stack): started if not running, stopped
  // afterwards only if this run started it. No-op for `TEST_SCOPE=unit`.
  globalSetup: require.resolve('./tools/local-stack/src/jest/global-setup.ts'),
  globalTeardown: require.resolve('./tools/local-stack/src/jest/global-teardown.ts'),
  // `TEST_SCOPE=unit` runs only pure unit tests (no servers needed).
  testPathIgnorePatterns: process.env.TEST_SCOPE === 'unit' ? ['/node_modules/', '\\.int\\.spec\\.ts$'] : ['/node_modules/'],
};
