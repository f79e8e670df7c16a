import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';

/**
 * Indexes `auth_tokens.expires_at`, so that purging expired tokens finds each batch through the
 * index instead of scanning the table. `IF NOT EXISTS` (PostgreSQL and SQLite): on a large
 * PostgreSQL table, create it yourself first without blocking writes
 * (`CREATE INDEX CONCURRENTLY "IDX_auth_tokens_expires_at" ON auth_tokens (expires_at)`), and this
 * migration does nothing.
 */
export class AddTokenExpiryIndex9000000000003 implements MigrationInterface {
  name = 'AddTokenExpiryIndex9000000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_auth_tokens_expires_at" ON "${AUTH_TOKENS_TABLE}" ("expires_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS "IDX_auth_tokens_expires_at"');
  }
}
