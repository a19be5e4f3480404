/** @type {import('jest').Config} */
module.exports = {
  displayName: 'indexing-core',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/test/integration/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/indexing-core',
};
