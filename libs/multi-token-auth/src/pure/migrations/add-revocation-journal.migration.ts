import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUTH_REVOCATIONS_TABLE, AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';

const T = AUTH_REVOCATIONS_TABLE;

/**
 * The revocation journal, `auth_revocations`: a row per token that ended (deleted) or whose expiry
 * moved earlier, written by a trigger on `auth_tokens`, so the row commits in the same transaction as
 * the change whatever made it (the library's store, the CLI, a cascade from a deleted user, a
 * `DELETE` in psql). Instances poll it by `position` to evict their caches (RevocationJournal).
 *
 * `position` never repeats, even once the journal is pruned empty (`BIGSERIAL` on PostgreSQL,
 * `AUTOINCREMENT` on SQLite: a plain rowid would be reused and a poller would skip it). `created_at`
 * is the database's clock in milliseconds, so pruning does not depend on any instance's clock.
 *
 * On SQLite, a later migration that rebuilds `auth_tokens` (TypeORM recreates a table to alter a
 * column) drops its triggers: such a migration must create them again (`createRevocationTriggers`).
 */
export class AddRevocationJournal9000000000006 implements MigrationInterface {
  name = 'AddRevocationJournal9000000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    await queryRunner.query(
      postgres
        ? `CREATE TABLE "${T}" ("position" BIGSERIAL PRIMARY KEY, "created_at" bigint NOT NULL, ` +
            '"digest" varchar(64), "user_id" varchar(255))'
        : `CREATE TABLE "${T}" ("position" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "created_at" bigint NOT NULL, ` +
            '"digest" varchar(64), "user_id" varchar(255))',
    );
    await queryRunner.query(`CREATE INDEX "IDX_${T}_created_at" ON "${T}" ("created_at")`);
    await createRevocationTriggers(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    for (const trigger of ['auth_tokens_revoked', 'auth_tokens_shortened']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS "${trigger}"${postgres ? ` ON "${AUTH_TOKENS_TABLE}"` : ''}`);
    }
    if (postgres) await queryRunner.query('DROP FUNCTION IF EXISTS "auth_record_revocation"()');
    await queryRunner.query(`DROP TABLE "${T}"`);
  }
}

/** SQL for "now" in epoch milliseconds, on the database's clock. */
export function databaseNowMs(postgres: boolean): string {
  return postgres
    ? '(extract(epoch from clock_timestamp()) * 1000)::bigint'
    : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
}

/**
 * Deleting a token, or moving its expiry earlier (a refresh of a longer-lived token), journals its
 * digest. A sliding expiry only moves later: those writes are on the hot path and are not journaled.
 * Nor is the deletion of a token that expired over an hour ago (database clock): no cache serves it
 * (an entry never outlives the token's expiry on the instance's clock, and an hour covers any sane
 * skew), and a purge of a million of them would otherwise write, and every instance read, a million
 * rows.
 */
export async function createRevocationTriggers(queryRunner: QueryRunner): Promise<void> {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  const insert = `INSERT INTO "${T}" ("created_at", "digest") VALUES (${databaseNowMs(postgres)}, OLD."digest")`;
  const shortened =
    'NEW."expires_at" IS NOT NULL AND (OLD."expires_at" IS NULL OR NEW."expires_at" < OLD."expires_at")';
  const live = postgres
    ? `OLD."expires_at" IS NULL OR OLD."expires_at" > now() - interval '1 hour'`
    : `OLD."expires_at" IS NULL OR OLD."expires_at" > strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 hour')`;
  if (postgres) {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION "auth_record_revocation"() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
        `BEGIN ${insert}; RETURN NULL; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "auth_tokens_revoked" AFTER DELETE ON "${AUTH_TOKENS_TABLE}" ` +
        `FOR EACH ROW WHEN (${live}) EXECUTE PROCEDURE "auth_record_revocation"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "auth_tokens_shortened" AFTER UPDATE OF "expires_at" ON "${AUTH_TOKENS_TABLE}" ` +
        `FOR EACH ROW WHEN (${shortened}) EXECUTE PROCEDURE "auth_record_revocation"()`,
    );
    return;
  }
  await queryRunner.query(
    `CREATE TRIGGER "auth_tokens_revoked" AFTER DELETE ON "${AUTH_TOKENS_TABLE}" FOR EACH ROW WHEN ${live} ` +
      `BEGIN ${insert}; END`,
  );
  await queryRunner.query(
    `CREATE TRIGGER "auth_tokens_shortened" AFTER UPDATE OF "expires_at" ON "${AUTH_TOKENS_TABLE}" ` +
      `FOR EACH ROW WHEN ${shortened} BEGIN ${insert}; END`,
  );
}
