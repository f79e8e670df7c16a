import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { authTokenEntityFor, multiTokenAuthEntities } from '../../contracts/entities/auth-entities.factory';
import { startPostgres, type PostgresServer } from '../../testing/postgres.server';
import { CreateTestUsers1000000000000, TestUser } from '../../testing/test-user.entity';
import { multiTokenAuthMigrations } from './multi-token-auth.migrations';
import { assertSchemaExists } from './schema.check';
import { StoreTimesAsUtc9000000000005 } from './store-times-as-utc.migration';
import type { MigrationJob, MigrationJobResult } from '../../testing/migration-job.child';
import { runTs } from '../../testing/ts-child';

// The migrations released before StoreTimesAsUtc (those after it come after it, as they do in the list).
const before = multiTokenAuthMigrations.slice(0, multiTokenAuthMigrations.indexOf(StoreTimesAsUtc9000000000005));
const created = new Date('2026-03-01T10:00:00.123Z');
const expires = new Date('2026-03-02T10:00:00.123Z');
const used = new Date('2026-03-01T11:30:00.000Z');

async function open(
  options: DataSourceOptions,
  migrations: (typeof multiTokenAuthMigrations)[number][],
): Promise<DataSource> {
  const entities = [TestUser, ...multiTokenAuthEntities(TestUser)];
  return new DataSource({
    ...options,
    entities,
    migrations: [CreateTestUsers1000000000000, ...migrations],
    migrationsRun: true,
  }).initialize();
}

const CHILD = join(__dirname, '..', '..', 'testing', 'migration-job.child.ts');
/** The job in a separate process whose TZ is `zone`: node-postgres's Date handling depends on it. */
const inZone = (zone: string, job: MigrationJob) =>
  runTs<MigrationJobResult>(CHILD, { TZ: zone, MIGRATION_JOB: JSON.stringify(job) });

const OLD_ROWS = [
  { sql: `INSERT INTO test_users (username, password_hash) VALUES ('alice', 'x')`, dates: [] },
  { sql: `INSERT INTO auth_clients (name, token_ttl) VALUES ('web', 86400)`, dates: [] },
  {
    // What the library did before: Date parameters into "timestamp without time zone".
    sql: `INSERT INTO auth_tokens (id, user_id, client_id, digest, created_at, expires_at, last_used_at)
          VALUES ('t1', 1, 1, 'd1', $1, $2, $3)`,
    dates: [created, expires, used].map((date) => date.toISOString()),
  },
  { sql: `INSERT INTO auth_legacy_imports (digest, imported_at) VALUES ('d1', $1)`, dates: [created.toISOString()] },
];

describe('StoreTimesAsUtc9000000000005 on PostgreSQL', () => {
  let server: PostgresServer;
  let client: Client;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterEach(() => client?.end());
  afterAll(() => server?.stop());

  /** A database whose server TimeZone is Etc/GMT+12, the opposite of the writing process. */
  async function database(): Promise<string> {
    const url = await server.createDatabase();
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET timezone TO 'Etc/GMT+12'`);
    await admin.end();
    client = new Client({ connectionString: url });
    await client.connect();
    return url;
  }
  const utc = async (column: string, table = 'auth_tokens') =>
    (
      await client.query<{ at: string }>(
        `SELECT to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM ${table}`,
      )
    ).rows.map((row) => row.at);
  const text = async (column: string) =>
    (await client.query<{ at: string }>(`SELECT ${column}::text AS at FROM auth_tokens`)).rows.map((row) => row.at);

  it('keeps the instants an app in TZ=Etc/GMT-14 wrote through node-postgres, whatever the server TimeZone', async () => {
    const url = await database();
    await inZone('Etc/GMT-14', { url, migrations: 'before', statements: OLD_ROWS });
    // The old column holds the writer's wall time, 14 hours ahead of UTC, and no zone.
    expect(await text('expires_at')).toEqual(['2026-03-03 00:00:00.123']);

    const read = await inZone('Etc/GMT-14', { url, migrations: 'all' });
    expect(await utc('created_at')).toEqual([created.toISOString()]);
    expect(await utc('expires_at')).toEqual([expires.toISOString()]);
    expect(await utc('last_used_at')).toEqual([used.toISOString()]);
    expect(await utc('imported_at', 'auth_legacy_imports')).toEqual([created.toISOString()]);
    // The client's created_at came from the server's now(), in its TimeZone: still "just now".
    const { rows } = await client.query<{ created_at: Date }>('SELECT created_at FROM auth_clients');
    expect(Math.abs((rows[0]?.created_at.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(read.tokens).toEqual([
      { id: 't1', createdAt: created.toISOString(), expiresAt: expires.toISOString(), lastUsedAt: used.toISOString() },
    ]);
    // And a process in the opposite zone now reads the same instants.
    expect((await inZone('Etc/GMT+12', { url, migrations: 'all' })).tokens).toEqual(read.tokens);
    const types = await client.query<{ name: string; data_type: string }>(
      `SELECT table_name || '.' || column_name AS name, data_type FROM information_schema.columns
       WHERE table_name LIKE 'auth_%' AND data_type LIKE 'timestamp%' ORDER BY 1`,
    );
    expect(types.rows).toEqual(
      [
        'auth_clients.created_at',
        'auth_legacy_imports.imported_at',
        'auth_tokens.created_at',
        'auth_tokens.expires_at',
        'auth_tokens.last_used_at',
      ].map((name) => ({ name, data_type: 'timestamp with time zone' })),
    );
  }, 60_000);

  it('down() gives the old columns back, in the wall time of the process', async () => {
    const url = await database();
    await inZone('Etc/GMT-14', { url, migrations: 'all', statements: OLD_ROWS, undo: true });
    expect(await text('expires_at')).toEqual(['2026-03-03 00:00:00.123']);
    const source = await open({ type: 'postgres', url }, before);
    try {
      await expect(assertSchemaExists(source)).rejects.toThrow(
        'the column "auth_tokens.expires_at" is timestamp without time zone, not timestamp with time zone (changed by StoreTimesAsUtc9000000000005)',
      );
    } finally {
      await source.destroy();
    }
  }, 60_000);

  it('a TZ Node cannot resolve (its dates are then UTC) is converted as UTC', async () => {
    const url = await database();
    await inZone('Mars/Olympus_Mons', { url, migrations: 'before', statements: OLD_ROWS });
    expect(await text('expires_at')).toEqual(['2026-03-02 10:00:00.123']);
    await inZone('Mars/Olympus_Mons', { url, migrations: 'all' });
    expect(await utc('expires_at')).toEqual([expires.toISOString()]);
  }, 60_000);
});

describe('StoreTimesAsUtc9000000000005 on SQLite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mta-utc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function oldDatabase(rows: [string, string | null][]): Promise<DataSourceOptions> {
    const options: DataSourceOptions = { type: 'better-sqlite3', database: join(dir, 'old.sqlite') };
    const old = await open(options, before);
    await old.query(`INSERT INTO test_users (username, password_hash) VALUES ('alice', 'x')`);
    await old.query(`INSERT INTO auth_clients (name) VALUES ('web')`);
    for (const [id, expiresAt] of rows) {
      await old.query(
        `INSERT INTO auth_tokens (id, user_id, client_id, digest, created_at, expires_at) VALUES (?, 1, 1, ?, '2026-03-01 10:00:00.123', ?)`,
        [id, `digest-${id}`, expiresAt],
      );
    }
    await old.destroy();
    return options;
  }

  it("keeps TypeORM's UTC text, and rewrites other forms to it in UTC", async () => {
    const options = await oldDatabase([
      ['typeorm', '2026-03-02 10:00:00.123'],
      ['iso', '2026-03-02T10:00:00.123Z'],
      ['offset', '2026-03-02T12:00:00.123+02:00'],
      ['never', null],
    ]);
    const migrated = await open(options, multiTokenAuthMigrations);
    try {
      expect(await migrated.query(`SELECT id, created_at, expires_at FROM auth_tokens ORDER BY id`)).toEqual([
        { id: 'iso', created_at: '2026-03-01 10:00:00.123', expires_at: '2026-03-02 10:00:00.123' },
        { id: 'never', created_at: '2026-03-01 10:00:00.123', expires_at: null },
        { id: 'offset', created_at: '2026-03-01 10:00:00.123', expires_at: '2026-03-02 10:00:00.123' },
        { id: 'typeorm', created_at: '2026-03-01 10:00:00.123', expires_at: '2026-03-02 10:00:00.123' },
      ]);
      const tokens = await migrated.getRepository(authTokenEntityFor(TestUser)).find({ order: { id: 'ASC' } });
      expect(tokens.map((token) => token.expiresAt?.toISOString() ?? null)).toEqual([
        '2026-03-02T10:00:00.123Z',
        null,
        '2026-03-02T10:00:00.123Z',
        '2026-03-02T10:00:00.123Z',
      ]);
    } finally {
      await migrated.destroy();
    }
  });

  it('fails on a value SQLite cannot read as a time, naming the table, column and value', async () => {
    const options = await oldDatabase([['bad', 'next tuesday']]);
    await expect(open(options, multiTokenAuthMigrations)).rejects.toThrow(
      'multi-token-auth: auth_tokens.expires_at holds a value SQLite cannot read as a time ("next tuesday")',
    );
  });
});
