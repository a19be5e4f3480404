/** @type {import('jest').Config} */
module.exports = {
  displayName: 'cdk-construct',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/cdk-construct',
  // Synthesizing CDK stacks is CPU-heavy on a shared 2-core machine.
  testTimeout: 60_000,
};
