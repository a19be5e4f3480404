const nxPreset = require('@nx/jest/preset').default;
const workspacePaths = require('./tsconfig.base.json').compilerOptions.paths;

// The Lambdas run on Node.js 22; local tooling and tests on the machine's Node 20 are supported here, so the
// AWS SDK's end-of-2026 Node-version notice is only noise in test logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Shared Jest settings: SWC transpiles TypeScript (type checking is the `typecheck` target's job). */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    // `paths` lets SWC rewrite the workspace aliases (@ddb-os/*) itself: Jest's resolver is not applied to the
    // globalSetup module, which reaches @ddb-os/testing through tools/local-stack.
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, baseUrl: __dirname, paths: workspacePaths },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Projects with `*.int.spec.ts` files get the local stack (tools/local-stack): started if not running, stopped
  // afterwards only if this run started it. No-op for `TEST_SCOPE=unit`.
  globalSetup: require.resolve('./tools/local-stack/src/jest/global-setup.ts'),
  globalTeardown: require.resolve('./tools/local-stack/src/jest/global-teardown.ts'),
  // `TEST_SCOPE=unit` runs only pure unit tests (no servers needed).
  testPathIgnorePatterns: process.env.TEST_SCOPE === 'unit' ? ['/node_modules/', '\\.int\\.spec\\.ts$'] : ['/node_modules/'],
};
