/** Jest runs the TypeScript sources through esbuild; `npm test` type-checks and builds first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-transform.js' },
  setupFilesAfterEnv: ['<rootDir>/test/support/private-cache.js'],
  testTimeout: 120000,
  maxWorkers: 2,
  // The suite fails when a process a test started outlives it (test/support/processes.js).
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
};
