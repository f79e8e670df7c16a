import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUTH_TOKEN_USAGE_TABLE, AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';
import { POSTGRES_TIME_TYPE } from '../../contracts/entities/utc-time-columns';
import { createChangeTrigger, dropChangeTrigger, LIFECYCLE_CHANGED_COLUMNS } from './add-token-lifecycle.migration';

/** The columns `auth_tokens_changed` journals from this migration on. */
export const LIMITS_CHANGED_COLUMNS = [...LIFECYCLE_CHANGED_COLUMNS, 'rate_limit', 'grace_ends_at'];

/**
 * Adds `auth_tokens.rate_limit` (an API key's own limit, `"100/m"`; nullable: none), for refresh
 * rotation `family_id` and `grace_ends_at` (nullable), `last_ip` (written with `last_used_at`), and
 * the table `auth_token_usage` (requests and refusals per key and UTC day), and journals a change of the limit
 * or of the grace as a pause is journaled, so that every instance reads the token again (a lowered
 * limit, or a token rotated out, holds everywhere within the journal's bound, Redis or not). Plain `ALTER TABLE … ADD COLUMN`, as
 * AddTokenLifecycle9000000000007: no table rebuild on SQLite, no row rewrite on PostgreSQL.
 */
export class ExtendTokenLifecycle9000000000008 implements MigrationInterface {
  name = 'ExtendTokenLifecycle9000000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    const time = queryRunner.connection.driver.options.type === 'postgres' ? POSTGRES_TIME_TYPE : 'datetime';
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "rate_limit" varchar(16)`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "family_id" varchar(36)`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "grace_ends_at" ${time}`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "last_ip" varchar(45)`);
    // Counts, not events: one row per key and UTC day, added to by every instance's flush. No
    // foreign key: an app's tests that TRUNCATE auth_tokens (TypeORM's `clear()`) keep working on
    // PostgreSQL; rows are pruned by day (the index) once past the longest range a read asks for.
    await queryRunner.query(
      `CREATE TABLE "${AUTH_TOKEN_USAGE_TABLE}" ("token_id" varchar(36) NOT NULL, "day" varchar(10) NOT NULL, ` +
        `"requests" integer NOT NULL DEFAULT 0, "refused" integer NOT NULL DEFAULT 0, ` +
        `CONSTRAINT "PK_auth_token_usage" PRIMARY KEY ("token_id", "day"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_auth_token_usage_day" ON "${AUTH_TOKEN_USAGE_TABLE}" ("day")`);
    await dropChangeTrigger(queryRunner);
    await createChangeTrigger(queryRunner, LIMITS_CHANGED_COLUMNS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropChangeTrigger(queryRunner);
    await createChangeTrigger(queryRunner, LIFECYCLE_CHANGED_COLUMNS);
    await queryRunner.query(`DROP TABLE "${AUTH_TOKEN_USAGE_TABLE}"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "last_ip"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "grace_ends_at"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "family_id"`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "rate_limit"`);
  }
}
