import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AUTH_REVOCATIONS_TABLE, AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';
import { createRevocationTriggers, databaseNowMs } from './add-revocation-journal.migration';

const CHANGED_TRIGGER = 'auth_tokens_changed';

/**
 * Adds `auth_tokens.enabled` (boolean, default true: every existing token stays usable) and
 * `auth_tokens.metadata` (JSON text, nullable), and journals a change of either, or of the name, as
 * the revocation journal does a deletion: every instance then reads the token again, so a paused key
 * is refused everywhere within the journal's bound even when Redis is down.
 *
 * SQLite: TypeORM adds a column by rebuilding the table, which drops its triggers; they are created
 * again here (a later rebuild must call `createRevocationTriggers` and `createChangeTrigger`).
 */
export class AddTokenLifecycle9000000000007 implements MigrationInterface {
  name = 'AddTokenLifecycle9000000000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    await queryRunner.addColumns(AUTH_TOKENS_TABLE, [
      new TableColumn({ name: 'enabled', type: 'boolean', isNullable: false, default: true }),
      new TableColumn({ name: 'metadata', type: 'text', isNullable: true }),
    ]);
    if (!postgres) {
      for (const trigger of ['auth_tokens_revoked', 'auth_tokens_shortened']) {
        await queryRunner.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
      }
      await createRevocationTriggers(queryRunner);
    }
    await createChangeTrigger(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    await queryRunner.query(`DROP TRIGGER IF EXISTS "${CHANGED_TRIGGER}"${postgres ? ` ON "${AUTH_TOKENS_TABLE}"` : ''}`);
    await queryRunner.dropColumn(AUTH_TOKENS_TABLE, 'metadata');
    await queryRunner.dropColumn(AUTH_TOKENS_TABLE, 'enabled');
    if (!postgres) {
      for (const trigger of ['auth_tokens_revoked', 'auth_tokens_shortened']) {
        await queryRunner.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
      }
      await createRevocationTriggers(queryRunner);
    }
  }
}

/** Journals the digest of a token whose `enabled`, `metadata` or `name` changed. */
export async function createChangeTrigger(queryRunner: QueryRunner): Promise<void> {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  const columns = '"enabled", "metadata", "name"';
  const changed = postgres
    ? '(OLD."enabled", OLD."metadata", OLD."name") IS DISTINCT FROM (NEW."enabled", NEW."metadata", NEW."name")'
    : 'OLD."enabled" IS NOT NEW."enabled" OR OLD."metadata" IS NOT NEW."metadata" OR OLD."name" IS NOT NEW."name"';
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
