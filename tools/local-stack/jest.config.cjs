/** @type {import('jest').Config} */
module.exports = {
  displayName: 'local-stack',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../coverage/tools/local-stack',
};
