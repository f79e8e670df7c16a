import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';
import { POSTGRES_TIME_TYPE } from '../../contracts/entities/utc-time-columns';
import { createChangeTrigger, dropChangeTrigger, LIFECYCLE_CHANGED_COLUMNS } from './add-token-lifecycle.migration';

/** The columns `auth_tokens_changed` journals from this migration on. */
export const LIMITS_CHANGED_COLUMNS = [...LIFECYCLE_CHANGED_COLUMNS, 'rate_limit', 'grace_ends_at'];

/**
 * Adds `auth_tokens.rate_limit` (an API key's own limit, `"100/m"`; nullable: none) and, for
 * refresh rotation, `family_id` and `grace_ends_at` (nullable), and journals a change of the limit
 * or of the grace as a pause is journaled, so that every instance reads the token again (a lowered
 * limit, or a token rotated out, holds everywhere within the journal's bound, Redis or not). Plain `ALTER TABLE … ADD COLUMN`, as
 * AddTokenLifecycle9000000000007: no table rebuild on SQLite, no row rewrite on PostgreSQL.
 */
export class AddTokenLimits9000000000008 implements MigrationInterface {
  name = 'AddTokenLimits9000000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    const time = queryRunner.connection.driver.options.type === 'postgres' ? POSTGRES_TIME_TYPE : 'datetime';
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "rate_limit" varchar(16)`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "family_id" varchar(36)`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "grace_ends_at" ${time}`);
    await dropChangeTrigger(queryRunner);
    await createChangeTrigger(queryRunner, LIMITS_CHANGED_COLUMNS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropChangeTrigger(queryRunner);
    await createChangeTrigger(queryRunner, LIFECYCLE_CHANGED_COLUMNS);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "grace_ends_at"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "family_id"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "rate_limit"`);
  }
}
