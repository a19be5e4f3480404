/** @type {import('jest').Config} */
module.exports = {
  displayName: 'syncs',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../coverage/syncs',
};
