/** Jest 30 on CommonJS: NestJS 11 (see CONTRIBUTING.md, "Dependencies and why"). */
module.exports = {
  testEnvironment: 'node',
  // A spec's beforeAll that starts the demo compiles it first on a cold ts-jest cache (a fresh CI
  // clone; the NestJS 12 run on Node 24 has a cache of its own): past Jest's 5 s on a loaded
  // 2-core machine, seen once. A hang still fails, at 20 s.
  testTimeout: 20_000,
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
