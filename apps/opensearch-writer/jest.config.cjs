/** @type {import('jest').Config} */
module.exports = {
  displayName: 'opensearch-writer',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/opensearch-writer',
};
