/** Jest 30 on CommonJS: NestJS 11 (see CONTRIBUTING.md, "Dependencies and why"). */
module.exports = {
  testEnvironment: 'node',
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
