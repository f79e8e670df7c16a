/**
 * `npm run test:consumer`: the packed library installed into fixture apps outside the repo (see
 * docs/getting-started.md, "Install").
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/consumer'],
  // test/consumer/app/test is the consumer app's own Jest test: it runs inside that app, not here.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/app/'],
};
