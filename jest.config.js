/** Jest runs the TypeScript sources through esbuild; `npm test` type-checks and builds first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-transform.js' },
  setupFilesAfterEnv: ['<rootDir>/test/support/private-cache.js'],
  testTimeout: 120000,
  maxWorkers: 2,
};
