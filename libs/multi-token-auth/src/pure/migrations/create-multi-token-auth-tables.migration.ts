import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { AUTH_CLIENTS_TABLE, AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';

/**
 * Creates `auth_clients` and `auth_tokens`. The users table is the app's, so its name and key type
 * are read from the mapped token entity (`multiTokenAuthEntities(User)`), and the column types from
 * the driver: one migration serves SQLite and PostgreSQL alike.
 *
 * TypeORM runs migrations in the order of the timestamp that ends their class name, whatever order
 * the `migrations` array lists them in. The foreign key needs the app's users table first, and a
 * users migration written today has a later timestamp than any date this library could ship with,
 * so the library's migrations carry timestamps from the year 2255 (9_000_000_000_000 ms onward):
 * they sort after every migration of the app. (TypeORM runs a pending migration even when a later
 * one has already run, so an app adding migrations afterwards is not affected.)
 */
export class CreateMultiTokenAuthTables9000000000000 implements MigrationInterface {
  name = 'CreateMultiTokenAuthTables9000000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { connection } = queryRunner;
    const tokenMetadata = connection.entityMetadatas.find((meta) => meta.tableName === AUTH_TOKENS_TABLE);
    const userRelation = tokenMetadata?.findRelationWithPropertyPath('user');
    const userKey = userRelation?.joinColumns[0]?.referencedColumn;
    if (!userRelation || !userKey) {
      throw new Error(
        'multi-token-auth: the token entity is not registered. Add ...multiTokenAuthEntities(User) ' +
          'to the entities of your data source before running migrations.',
      );
    }
    const usersTable = userRelation.inverseEntityMetadata.tablePath;
    if (!(await queryRunner.hasTable(usersTable))) {
      throw new Error(
        `multi-token-auth: the users table "${usersTable}" does not exist, so auth_tokens cannot reference it. ` +
          `Add the migration that creates "${usersTable}" to the migrations of the same data source ` +
          "(the library's migrations sort after yours), or create the table before running migrations.",
      );
    }
    const { driver } = connection;
    const date = driver.normalizeType({ type: Date });
    const now = driver.mappedDataTypes.createDateDefault;
    const userIdColumn: TableColumnOptions = {
      name: 'user_id',
      type: driver.normalizeType(userKey),
      length: userKey.length || undefined,
    };

    await queryRunner.createTable(
      new Table({
        name: AUTH_CLIENTS_TABLE,
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar', length: '50', isUnique: true },
          { name: 'token_ttl', type: 'integer', isNullable: true },
          { name: 'max_tokens_per_user', type: 'integer', isNullable: true },
          { name: 'throttle_rate', type: 'varchar', length: '32', isNullable: true },
          { name: 'created_at', type: date, default: now },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: AUTH_TOKENS_TABLE,
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          userIdColumn,
          { name: 'client_id', type: 'integer' },
          { name: 'name', type: 'varchar', length: '100', isNullable: true },
          { name: 'digest', type: 'varchar', length: '64' },
          // No database default: the library sets it, to the millisecond, from its clock.
          { name: 'created_at', type: date },
          { name: 'expires_at', type: date, isNullable: true },
          { name: 'last_used_at', type: date, isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '255', isNullable: true },
          { name: 'ip', type: 'varchar', length: '45', isNullable: true },
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: usersTable,
            referencedColumnNames: [userKey.databaseName],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['client_id'],
            referencedTableName: AUTH_CLIENTS_TABLE,
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [
          { name: 'UQ_auth_tokens_digest', columnNames: ['digest'], isUnique: true },
          { name: 'UQ_auth_tokens_user_name', columnNames: ['user_id', 'name'], isUnique: true },
          { name: 'IDX_auth_tokens_user_client', columnNames: ['user_id', 'client_id'] },
        ],
      }),
      false,
      true,
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(AUTH_TOKENS_TABLE);
    await queryRunner.dropTable(AUTH_CLIENTS_TABLE);
  }
}
