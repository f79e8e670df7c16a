import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The demo's users table; it must exist before the library's tables reference it. */
export class CreateUsers1763600000000 implements MigrationInterface {
  name = 'CreateUsers1763600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { driver } = queryRunner.connection;
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'username', type: 'varchar', length: '150', isUnique: true },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'is_active', type: 'boolean', default: true },
          {
            name: 'created_at',
            type: driver.normalizeType({ type: Date }),
            default: driver.mappedDataTypes.createDateDefault,
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('users');
  }
}
