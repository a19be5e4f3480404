/** @type {import('jest').Config} */
module.exports = {
  displayName: 'demo-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/demo-api',
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};
