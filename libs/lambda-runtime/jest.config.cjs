/** @type {import('jest').Config} */
module.exports = {
  displayName: 'lambda-runtime',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/lambda-runtime',
};
