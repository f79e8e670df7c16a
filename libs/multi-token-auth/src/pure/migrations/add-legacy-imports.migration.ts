import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AUTH_LEGACY_IMPORTS_TABLE } from '../../contracts/multi-token-auth.constants';

/**
 * `auth_legacy_imports`: the digest of every legacy token ever imported. A revoked token's row is
 * deleted, so without this ledger importing the same export again would bring revoked keys back.
 */
export class AddLegacyImports9000000000004 implements MigrationInterface {
  name = 'AddLegacyImports9000000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { driver } = queryRunner.connection;
    await queryRunner.createTable(
      new Table({
        name: AUTH_LEGACY_IMPORTS_TABLE,
        columns: [
          { name: 'digest', type: 'varchar', length: '64', isPrimary: true },
          {
            name: 'imported_at',
            type: driver.normalizeType({ type: Date }),
            default: driver.mappedDataTypes.createDateDefault,
          },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(AUTH_LEGACY_IMPORTS_TABLE, true);
  }
}
