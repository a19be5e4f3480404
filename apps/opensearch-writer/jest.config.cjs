/** @type {import('jest').Config} */
module.exports = {
  displayName: 'opensearch-writer',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/test/integration/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/opensearch-writer',
};
