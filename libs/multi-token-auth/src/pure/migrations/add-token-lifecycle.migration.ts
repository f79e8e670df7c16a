import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUTH_REVOCATIONS_TABLE, AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';
import { databaseNowMs } from './add-revocation-journal.migration';

export const CHANGED_TRIGGER = 'auth_tokens_changed';
/** The columns whose change `auth_tokens_changed` journals, as this migration creates it. */
export const LIFECYCLE_CHANGED_COLUMNS = ['enabled', 'metadata', 'name', 'allowed_ips'];

/**
 * Adds `auth_tokens.enabled` (boolean, default true: every existing token stays usable) and
 * `auth_tokens.metadata` (JSON text, nullable) and `auth_tokens.replaced_by` (the key that replaced
 * this one in a roll, nullable) and `auth_tokens.allowed_ips` (space-separated addresses and CIDR
 * networks, nullable: no restriction), and journals a change of either, or of the name, as
 * the revocation journal does a deletion: every instance then reads the token again, so a paused key
 * is refused everywhere within the journal's bound even when Redis is down.
 *
 * Plain `ALTER TABLE … ADD COLUMN` on both databases: no table rebuild (TypeORM's `addColumn` rebuilds
 * a SQLite table, which drops its triggers and the expiry index), and on PostgreSQL ≥ 11 a constant
 * default rewrites no rows, so the migration is instant on a large table.
 */
export class AddTokenLifecycle9000000000007 implements MigrationInterface {
  name = 'AddTokenLifecycle9000000000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    // SQLite keeps booleans as 0/1, and TypeORM compares the default as it writes the entity's.
    await queryRunner.query(
      `ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "enabled" boolean NOT NULL DEFAULT ${postgres ? 'true' : '(1)'}`,
    );
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "metadata" text`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "replaced_by" varchar(36)`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "allowed_ips" text`);
    await createChangeTrigger(queryRunner, LIFECYCLE_CHANGED_COLUMNS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropChangeTrigger(queryRunner);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "allowed_ips"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "replaced_by"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "metadata"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "enabled"`);
  }
}

export async function dropChangeTrigger(queryRunner: QueryRunner): Promise<void> {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  await queryRunner.query(`DROP TRIGGER IF EXISTS "${CHANGED_TRIGGER}"${postgres ? ` ON "${AUTH_TOKENS_TABLE}"` : ''}`);
}

/** Journals the digest of a token when one of `columnNames` changes (a pause, a new allow-list…). */
export async function createChangeTrigger(queryRunner: QueryRunner, columnNames: readonly string[]): Promise<void> {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  const names = columnNames.map((column) => `"${column}"`);
  const columns = names.join(', ');
  const changed = postgres
    ? `(${names.map((n) => `OLD.${n}`).join(', ')}) IS DISTINCT FROM (${names.map((n) => `NEW.${n}`).join(', ')})`
    : names.map((n) => `OLD.${n} IS NOT NEW.${n}`).join(' OR ');
  if (postgres) {
    // The function AddRevocationJournal9000000000006 created: it journals OLD."digest".
    await queryRunner.query(
      `CREATE TRIGGER "${CHANGED_TRIGGER}" AFTER UPDATE OF ${columns} ON "${AUTH_TOKENS_TABLE}" ` +
        `FOR EACH ROW WHEN (${changed}) EXECUTE PROCEDURE "auth_record_revocation"()`,
    );
    return;
  }
  await queryRunner.query(
    `CREATE TRIGGER "${CHANGED_TRIGGER}" AFTER UPDATE OF ${columns} ON "${AUTH_TOKENS_TABLE}" ` +
      `FOR EACH ROW WHEN ${changed} BEGIN INSERT INTO "${AUTH_REVOCATIONS_TABLE}" ("created_at", "digest") ` +
      `VALUES (${databaseNowMs(false)}, OLD."digest"); END`,
  );
}
