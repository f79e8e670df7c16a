import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AUTH_CLIENTS_TABLE } from '../../contracts/multi-token-auth.constants';

/**
 * Adds `idle_timeout` and `absolute_lifetime` (seconds, nullable: off) to `auth_clients`, for
 * sliding expiry with an absolute cap. Existing clients get `NULL`, so existing tokens behave as
 * before. Timestamped after the first migration, like it in the year 2255 (see there why).
 */
export class AddClientSessionLifetimes9000000000001 implements MigrationInterface {
  name = 'AddClientSessionLifetimes9000000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(AUTH_CLIENTS_TABLE, [
      new TableColumn({ name: 'idle_timeout', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'absolute_lifetime', type: 'integer', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(AUTH_CLIENTS_TABLE, 'absolute_lifetime');
    await queryRunner.dropColumn(AUTH_CLIENTS_TABLE, 'idle_timeout');
  }
}
