/** @type {import('jest').Config} */
module.exports = {
  displayName: 'stream-runner',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../coverage/tools/stream-runner',
};
