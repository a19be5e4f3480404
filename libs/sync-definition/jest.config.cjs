/** @type {import('jest').Config} */
module.exports = {
  displayName: 'sync-definition',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/sync-definition',
};
