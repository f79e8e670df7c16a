import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';
import { POSTGRES_TIME_TYPE } from '../../contracts/entities/utc-time-columns';
import { createChangeTrigger, dropChangeTrigger } from './add-token-lifecycle.migration';
import { LIMITS_CHANGED_COLUMNS } from './extend-token-lifecycle.migration';

/** The columns `auth_tokens_changed` journals from this migration on. */
export const QUOTA_CHANGED_COLUMNS = [...LIMITS_CHANGED_COLUMNS, 'quota_set_at'];

/**
 * Adds a token's quota: the rule `quota` (JSON text), when it was set `quota_set_at`, and the balance
 * last written (`quota_remaining`, `quota_refilled_at`, `quota_seq`), all nullable (no quota). A change
 * of the quota is journaled as a pause is, so that every instance reads the token again; the writes
 * of the balance (one per interval) are not. Plain `ALTER TABLE … ADD COLUMN`, as the two before.
 */
export class AddTokenQuotas9000000000009 implements MigrationInterface {
  name = 'AddTokenQuotas9000000000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    const time = queryRunner.connection.driver.options.type === 'postgres' ? POSTGRES_TIME_TYPE : 'datetime';
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "quota" text`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "quota_set_at" ${time}`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "quota_remaining" integer`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "quota_refilled_at" ${time}`);
    await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" ADD COLUMN "quota_seq" bigint`);
    await dropChangeTrigger(queryRunner);
    await createChangeTrigger(queryRunner, QUOTA_CHANGED_COLUMNS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropChangeTrigger(queryRunner);
    await createChangeTrigger(queryRunner, LIMITS_CHANGED_COLUMNS);
    for (const column of ['quota_seq', 'quota_refilled_at', 'quota_remaining', 'quota_set_at', 'quota']) {
      await queryRunner.query(`ALTER TABLE "${AUTH_TOKENS_TABLE}" DROP COLUMN "${column}"`);
    }
  }
}
