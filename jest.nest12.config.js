/**
 * The same Jest suite on NestJS 12 (see CONTRIBUTING.md, "Tests"): run by `npm run test:nest12`
 * on Node 24 with --experimental-vm-modules, where Jest can require() the ESM-only Nest 12.
 * The Nest packages (and better-sqlite3, whose v12 build targets the system Node) come from the
 * overlay installed in .tmp/nest12; everything else from the workspace.
 */
const base = require('./jest.config.js');

const overlay = '<rootDir>/.tmp/nest12/node_modules';

module.exports = {
  ...base,
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^@nestjs/(common|core|passport|platform-express|platform-fastify|testing|typeorm|graphql|apollo|websockets|platform-socket.io|event-emitter|schedule|swagger)(/.*)?$': `${overlay}/@nestjs/$1$2`,
    '^better-sqlite3$': `${overlay}/better-sqlite3`,
  },
};
