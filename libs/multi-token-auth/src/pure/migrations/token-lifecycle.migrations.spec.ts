import { DataSource } from 'typeorm';
import { multiTokenAuthEntities } from '../../contracts/entities/auth-entities.factory';
import { DATABASES, useDatabase } from '../../testing/databases';
import { CreateTestUsers1000000000000, TestUser } from '../../testing/test-user.entity';
import { multiTokenAuthMigrations } from './multi-token-auth.migrations';

describe.each(DATABASES)(
  'AddTokenLifecycle9000000000007, ExtendTokenLifecycle9000000000008, AddTokenQuotas9000000000009 on %s',
  (kind) => {
    const database = useDatabase(kind);
    let source: DataSource;
    const p = (n: number) => (kind === 'PostgreSQL' ? `$${n}` : '?');
    // better-sqlite3 binds no booleans or dates: 0/1 and UTC text, as TypeORM stores them there.
    const bind = (values: unknown[]) =>
      kind === 'PostgreSQL'
        ? values
        : values.map((value) =>
            typeof value === 'boolean'
              ? Number(value)
              : value instanceof Date
                ? value.toISOString().replace('T', ' ').slice(0, 23)
                : value,
          );
    const journal = async () =>
      (await source.query<{ digest: string }[]>('SELECT "digest" FROM "auth_revocations" ORDER BY "position"')).map(
        (row) => row.digest,
      );

    beforeEach(async () => {
      const url = await database();
      const common = {
        entities: [TestUser, ...multiTokenAuthEntities(TestUser)],
        migrations: [CreateTestUsers1000000000000, ...multiTokenAuthMigrations],
        migrationsRun: true,
      };
      source = await (
        url
          ? new DataSource({ type: 'postgres', url, ...common })
          : new DataSource({ type: 'better-sqlite3', database: ':memory:', ...common })
      ).initialize();
      await source.query(
        `INSERT INTO "test_users" ("username", "password_hash", "is_active") VALUES ('alice', 'x', ${p(1)})`,
        [true],
      );
      await source.query(`INSERT INTO "auth_clients" ("name") VALUES ('web')`);
      const [client] = await source.query<{ id: number }[]>('SELECT "id" FROM "auth_clients"');
      for (const [id, digest] of [
        ['00000000-0000-4000-8000-000000000001', 'a'.repeat(64)],
        ['00000000-0000-4000-8000-000000000002', 'b'.repeat(64)],
      ]) {
        await source.query(
          `INSERT INTO "auth_tokens" ("id", "user_id", "client_id", "digest", "created_at") ` +
            `VALUES (${p(1)}, 1, ${p(2)}, ${p(3)}, ${p(4)})`,
          bind([id, client.id, digest, new Date()]),
        );
      }
    });
    afterEach(() => source.destroy());

    it('existing rows are enabled with no metadata or rate limit; a change of enabled, metadata, name, allowed_ips or rate_limit is journaled, nothing else', async () => {
      const rows = await source.query<{ enabled: unknown; metadata: unknown; rate_limit: unknown }[]>(
        'SELECT "enabled", "metadata", "rate_limit" FROM "auth_tokens"',
      );
      expect(rows.map((row) => [Boolean(row.enabled), row.metadata, row.rate_limit])).toEqual([
        [true, null, null],
        [true, null, null],
      ]);
      const update = (set: string, value: unknown, id = 1) =>
        source.query(
          `UPDATE "auth_tokens" SET ${set} = ${p(1)} WHERE "id" = ${p(2)}`,
          bind([value, `00000000-0000-4000-8000-00000000000${id}`]),
        );
      await update('"last_used_at"', new Date());
      await update('"enabled"', true); // the same value: no change
      expect(await journal()).toEqual([]);
      await update('"enabled"', false);
      await update('"metadata"', '{"a":1}', 2);
      await update('"name"', 'renamed');
      await update('"allowed_ips"', '10.0.0.0/8', 2);
      await update('"replaced_by"', '00000000-0000-4000-8000-0000000000aa', 2); // with a new expiry, not alone
      await update('"rate_limit"', '5/m');
      const [a, b] = ['a'.repeat(64), 'b'.repeat(64)];
      expect(await journal()).toEqual([a, b, a, b, a]);
    });

    it('a change of the quota (quota_set_at) is journaled; the writes of its balance are not', async () => {
      const set = (column: string, value: unknown) =>
        source.query(
          `UPDATE "auth_tokens" SET "${column}" = ${p(1)} WHERE "digest" = ${p(2)}`,
          bind([value, 'a'.repeat(64)]),
        );
      await set('quota_remaining', 5);
      await set('quota_seq', 7);
      await set('quota_refilled_at', new Date());
      expect(await journal()).toEqual([]);
      await set('quota', '{"limit":10}');
      await set('quota_set_at', new Date());
      expect(await journal()).toEqual(['a'.repeat(64)]);
    });

    it('AddTokenQuotas down() removes its columns and journals as ExtendTokenLifecycle did', async () => {
      await source.undoLastMigration();
      const runner = source.createQueryRunner();
      try {
        for (const column of ['quota', 'quota_set_at', 'quota_remaining', 'quota_refilled_at', 'quota_seq']) {
          expect(await runner.hasColumn('auth_tokens', column)).toBe(false);
        }
        expect(await runner.hasColumn('auth_tokens', 'rate_limit')).toBe(true);
      } finally {
        await runner.release();
      }
      await source.query(`UPDATE "auth_tokens" SET "rate_limit" = ${p(1)} WHERE "digest" = ${p(2)}`, [
        '1/s',
        'a'.repeat(64),
      ]);
      expect(await journal()).toEqual(['a'.repeat(64)]);
    });

    it('ExtendTokenLifecycle down() removes its columns and the usage table, and leaves the lifecycle journaling as it was', async () => {
      await source.undoLastMigration();
      await source.undoLastMigration();
      const runner = source.createQueryRunner();
      try {
        expect(await runner.hasColumn('auth_tokens', 'rate_limit')).toBe(false);
        expect(await runner.hasColumn('auth_tokens', 'last_ip')).toBe(false);
        expect(await runner.hasColumn('auth_tokens', 'family_id')).toBe(false);
        expect(await runner.hasTable('auth_token_usage')).toBe(false);
        expect(await runner.hasColumn('auth_tokens', 'allowed_ips')).toBe(true);
      } finally {
        await runner.release();
      }
      await source.query(`UPDATE "auth_tokens" SET "allowed_ips" = ${p(1)} WHERE "digest" = ${p(2)}`, [
        '10.0.0.1',
        'a'.repeat(64),
      ]);
      expect(await journal()).toEqual(['a'.repeat(64)]);
      await source.runMigrations();
      await source.query(`UPDATE "auth_tokens" SET "rate_limit" = ${p(1)} WHERE "digest" = ${p(2)}`, [
        '1/s',
        'b'.repeat(64),
      ]);
      expect(await journal()).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    });

    it('AddTokenLifecycle down() removes its columns and keeps the revocation triggers and the expiry index', async () => {
      await source.undoLastMigration();
      await source.undoLastMigration();
      await source.undoLastMigration();
      const runner = source.createQueryRunner();
      try {
        expect(await runner.hasColumn('auth_tokens', 'enabled')).toBe(false);
        expect(await runner.hasColumn('auth_tokens', 'metadata')).toBe(false);
        const indices = (await runner.getTable('auth_tokens'))?.indices.map((index) => index.name) ?? [];
        expect(indices).toContain('IDX_auth_tokens_expires_at');
      } finally {
        await runner.release();
      }
      await source.query(`DELETE FROM "auth_tokens" WHERE "digest" = ${p(1)}`, ['a'.repeat(64)]);
      expect(await journal()).toEqual(['a'.repeat(64)]);
      await source.runMigrations();
      await source.query(`UPDATE "auth_tokens" SET "enabled" = ${p(1)}`, bind([false]));
      expect(await journal()).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    });
  },
);
