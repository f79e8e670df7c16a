import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';
import { createChangeTrigger, dropChangeTrigger, LIFECYCLE_CHANGED_COLUMNS } from './add-token-lifecycle.migration';

/** The columns `auth_tokens_changed` journals from this migration on. */
export const LIMITS_CHANGED_COLUMNS = [...LIFECYCLE_CHANGED_COLUMNS, 'rate_limit'];

/**
 * Adds `auth_tokens.rate_limit` (an API key's own limit, `"100/m"`; nullable: none), and journals
 * its change as a pause is journaled, so that every instance reads the key again (a lowered limit
 * holds everywhere within the journal's bound, Redis or not). Plain `ALTER TABLE … ADD COLUMN`, as
 * AddTokenLifecycle9000000000007: no table rebuild on SQLite, no row rewrite on PostgreSQL.
 */
export class AddTokenLimits9000000000008 implements MigrationInterface {
  name = 'AddTokenLimits9000000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "rate_limit" varchar(16)`);
    await dropChangeTrigger(queryRunner);
    await createChangeTrigger(queryRunner, LIMITS_CHANGED_COLUMNS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropChangeTrigger(queryRunner);
    await createChangeTrigger(queryRunner, LIFECYCLE_CHANGED_COLUMNS);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "rate_limit"`);
  }
}
