// Two projects. `unit` (test/unit) is pure logic and needs no server. `integration` (test/integration) shares
// one real Temporal dev server started by its global setup (only when an integration test is selected); each
// test file starts its own emulators and workers on unique task queues.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 180000,
  maxWorkers: 2,
  // Temporal native connections keep handles open briefly after close.
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testTimeout: 30000,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testTimeout: 180000,
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
