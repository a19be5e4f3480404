/** @type {import('jest').Config} */
module.exports = {
  displayName: 'indexing-core',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/indexing-core',
};
