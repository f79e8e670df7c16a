/** Jest 30 on CommonJS: NestJS 11 (see CONTRIBUTING.md, "Dependencies and why"). */
module.exports = {
  testEnvironment: 'node',
  // A spec's beforeAll that starts the demo compiles it first on a cold ts-jest cache (a fresh CI
  // clone; the NestJS 12 run on Node 24 has a cache of its own): past Jest's 5 s on a loaded
  // 2-core machine, seen once. A hang still fails, at 20 s.
  testTimeout: 20_000,
  // Two workers on the 2-core CI machine (Jest's default is cores - 1 = one): most suites wait on
  // PostgreSQL, Redis, child processes and sockets rather than compute, and each starts its own
  // servers on free ports and its own files, so they are independent. Halves the run (437 s → 226 s).
  maxWorkers: 2,
  rootDir: '.',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  // The consumer check packs and installs the library into outside apps: `npm run test:consumer`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/'],
  moduleNameMapper: {
    '^nestjs-multi-token-auth$': '<rootDir>/libs/multi-token-auth/src/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
};
