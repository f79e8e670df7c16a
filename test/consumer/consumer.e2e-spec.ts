import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../../libs/multi-token-auth/src/testing/postgres.server';
import { installConsumer, type ConsumerApp } from './support/consumer-app';
import { freePort, node24 } from './support/local-tools';
import { packLibrary, type PackedLibrary } from './support/packed-library';
import { runScenario } from './support/scenario';

/**
 * The library as its users get it: packed, installed from the tarball into apps outside the repo
 * next to the published NestJS packages, compiled with tsc, started, and driven over HTTP.
 * Run by `npm run test:consumer` (part of `npm test`).
 */
const MINUTES = 60_000;
const NESTED_COPY = /node_modules\/.+\/node_modules\/(@nestjs\/[^/]+|typeorm|rxjs|reflect-metadata)$/;

interface StoredToken {
  digest: string;
  client: string;
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKENS_SQL = 'SELECT t.digest, c.name AS client FROM auth_tokens t JOIN auth_clients c ON c.id = t.client_id';

let library: PackedLibrary;
let postgres: PostgresServer | undefined;

beforeAll(() => {
  library = packLibrary();
}, 5 * MINUTES);
afterAll(() => {
  postgres?.stop();
  rmSync(dirname(library.tarball), { recursive: true, force: true });
});

async function postgresUrl(): Promise<string> {
  postgres ??= await startPostgres();
  return postgres.createDatabase();
}

describe('the packed library', () => {
  it('holds compiled JavaScript, declarations and source maps of the library only', () => {
    const outside = library.files.filter((file) => !file.startsWith('dist/'));
    expect(outside).toEqual(['LICENSE', 'README.md', 'package.json']);
    expect(library.files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map']));
    const unexpected = library.files.filter(
      (file) => /\.(spec|e2e-spec)\.|\.ts$/.test(file.replace(/\.d\.ts$/, '.d')) || /apps|test\//.test(file),
    );
    expect(unexpected).toEqual([]);
    // From src/testing, only the public entry (nestjs-multi-token-auth/testing) and what it imports
    // (the test-token issuer, the three contract suites and their test-function seam): the
    // repository's harness (database servers, fixtures, child processes) stays out.
    const testing = library.files.filter((file) => file.startsWith('dist/testing/')).map((file) => file.split('/')[2]);
    expect(new Set(testing.map((file) => file?.replace(/\.(js|d\.ts|js\.map)$/, '')))).toEqual(
      new Set([
        'index',
        'test-token.issuer',
        'conformance.api',
        'token-store.conformance',
        'token-store-lifecycle.conformance',
        'token-cache.conformance',
        'login-attempt-store.conformance',
      ]),
    );
    for (const file of library.files.filter((path) => path.endsWith('.js'))) {
      expect(library.files).toContain(file.replace(/\.js$/, '.d.ts'));
      expect(library.files).toContain(`${file}.map`);
    }
  });
});

const FIXTURES = [
  {
    name: 'nest11-express-sqlite',
    nest: '11',
    node: 'system',
    typescript: '5.9',
    database: 'sqlite',
    typechecks: ['bundler', 'node16'],
    jest: true,
    globalGuard: false,
  },
  {
    name: 'nest12-fastify-postgres',
    nest: '12',
    node: 'system',
    typescript: '6.0',
    database: 'postgres',
    typechecks: [],
    jest: false,
    globalGuard: false,
  },
  {
    name: 'nest12-node24-postgres',
    nest: '12',
    node: '24',
    typescript: '7.0',
    database: 'postgres',
    typechecks: [],
    jest: false,
    // Its own app.module.ts: MultiTokenAuthModule.forRootAsync({ globalGuard: true, useFactory }).
    globalGuard: true,
  },
] as const;

describe.each(FIXTURES)('a consumer app: $name', (fixture) => {
  let app: ConsumerApp;

  beforeAll(() => {
    const nodeDir = fixture.node === '24' ? node24() : undefined;
    app = installConsumer(fixture.name, library.tarball, nodeDir);
  }, 10 * MINUTES);
  afterAll(() => app?.remove());

  it('installs one copy of NestJS, TypeORM and RxJS, and npm ls is clean', () => {
    const parseable = app.run('npm', ['ls', '--all', '--parseable', '--loglevel=error']); // exits non-zero on problems
    const paths = parseable.split('\n').map((path) => path.slice(app.dir.length));
    expect(paths.filter((path) => NESTED_COPY.test(path))).toEqual([]);
    const nest = JSON.parse(
      app.run('node', ['-p', 'JSON.stringify(require("@nestjs/core/package.json").version)']),
    ) as string;
    expect(nest.split('.')[0]).toBe(fixture.nest);
    // The install line of docs/getting-started.md: @nestjs/passport of the app's own major (12 is
    // ESM-only, which Jest cannot load in a NestJS 11 app; the library refuses a mismatched pair at
    // start-up).
    const passport = JSON.parse(
      app.run('node', ['-p', 'JSON.stringify(require("@nestjs/passport/package.json").version)']),
    ) as string;
    expect(passport.split('.')[0]).toBe(fixture.nest);
    const node = app.run('node', ['--version']);
    if (fixture.node === '24') expect(node).toMatch(/^v24\./);
    // What the app does not use stays out: no HTTP platform, driver or @nestjs/typeorm comes with the library.
    const library = JSON.parse(app.run('npm', ['ls', 'nestjs-multi-token-auth', '--all', '--json'])) as object;
    expect(JSON.stringify(library)).not.toMatch(/platform-(express|fastify)|better-sqlite3|"pg"|@nestjs\/typeorm/);
    // None of the optional peers is there: the scenario below runs without them.
    for (const optional of [
      '@nestjs/event-emitter',
      '@nestjs/schedule',
      '@nestjs/websockets',
      '@nestjs/graphql',
      '@nestjs/swagger',
      'ioredis',
    ]) {
      expect(() => app.run('node', ['-e', `require.resolve(${JSON.stringify(optional)})`])).toThrow();
    }
  });

  it(
    'compiles with strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess and skipLibCheck: false',
    () => {
      app.run('npx', ['tsc', '-p', 'tsconfig.json']);
      for (const variant of fixture.typechecks) app.run('npx', ['tsc', '-p', `tsconfig.${variant}.json`]);
    },
    3 * MINUTES,
  );

  if (fixture.jest) {
    it(
      'runs the app\'s own Jest tests (ts-jest, supertest): the docs\' "Testing your app" example and a shipped contract suite',
      () => {
        // Jest reports on stderr; a failing test makes the run throw with that report.
        const report = app.run('sh', ['-c', 'npx jest --ci 2>&1']);
        expect(report).toMatch(/^PASS test\/app\.e2e-spec\.ts/m);
        // The TokenCache contract suite, from nestjs-multi-token-auth/testing, on the installed package.
        expect(report).toMatch(/^PASS test\/token-cache\.contract\.e2e-spec\.ts/m);
        expect(report).toMatch(/^Tests: +7 passed, 7 total$/m);
      },
      3 * MINUTES,
    );
  }

  it(
    'starts and passes the scenario, leaving the right rows in the store',
    async () => {
      const databaseUrl =
        fixture.database === 'postgres' ? await postgresUrl() : `sqlite:${join(app.dir, 'app.sqlite')}`;
      const running = await app.start({ DATABASE_URL: databaseUrl, PORT: String(await freePort()) });
      try {
        const { loggedOut, kept } = await runScenario(running.base);
        if (fixture.globalGuard) await expectGloballyGuarded(running.base, kept);
        const rows = await storedTokens(databaseUrl);
        expect(rows).toEqual([{ digest: sha256(kept), client: 'mobile' }]);
        expect(JSON.stringify(rows)).not.toContain(loggedOut.slice(4));
        expect(running.logs()).not.toContain(kept);
      } finally {
        await running.stop();
      }
    },
    2 * MINUTES,
  );
});

/** A route with no @UseGuards of its own: the global guard from forRootAsync's settings stands in front of it. */
async function expectGloballyGuarded(base: string, token: string): Promise<void> {
  const anonymous = await fetch(`${base}/whoami`);
  expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="api"']);
  expect(await anonymous.json()).toMatchObject({ code: 'missing_token' });
  const signedIn = await fetch(`${base}/whoami`, { headers: { authorization: `Bearer ${token}` } });
  expect([signedIn.status, await signedIn.json()]).toEqual([200, { username: 'alice' }]);
}

async function storedTokens(databaseUrl: string): Promise<StoredToken[]> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare(TOKENS_SQL).all() as StoredToken[];
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<StoredToken>(TOKENS_SQL)).rows;
  } finally {
    await client.end();
  }
}
