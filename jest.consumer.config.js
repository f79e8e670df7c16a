/** `npm run test:consumer`: the packed library installed into fixture apps outside the repo (see README, "Install"). */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/consumer'],
  testPathIgnorePatterns: ['/node_modules/'],
};
