import { Column, DataSource, Entity, PrimaryGeneratedColumn, Table, type DataSourceOptions } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { multiTokenAuthEntities } from '../../contracts/entities/auth-entities.factory';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup } from '../../testing/setup.fixture';
import { TestUser } from '../../testing/test-user.entity';
import { CreateMultiTokenAuthTables9000000000000 } from './create-multi-token-auth-tables.migration';
import { multiTokenAuthMigrations } from './multi-token-auth.migrations';
import { assertSchemaExists } from './schema.check';

@Entity('app_users')
class AppUser {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 150 })
  username!: string;
}

/** A users migration generated the day this spec was written: a later timestamp than the library's release. */
class CreateAppUsers1795420000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'app_users',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'username', type: 'varchar', length: '150' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('app_users');
  }
}

describe.each(DATABASES)('migration order on %s', (kind) => {
  const database = useDatabase(kind);

  async function dataSource(migrations: DataSourceOptions['migrations'], migrationsRun = true): Promise<DataSource> {
    const url = await database();
    const common = { entities: [AppUser, ...multiTokenAuthEntities(AppUser)], migrations, migrationsRun };
    const source = url
      ? new DataSource({ type: 'postgres', url, ...common })
      : new DataSource({ type: 'better-sqlite3', database: ':memory:', ...common });
    return source.initialize();
  }

  it.each([
    ['after', [CreateAppUsers1795420000000, ...multiTokenAuthMigrations]],
    ['before', [...multiTokenAuthMigrations, CreateAppUsers1795420000000]],
  ])("a users migration written today, listed %s the library's, runs first", async (_order, migrations) => {
    const source = await dataSource(migrations);
    try {
      const ran = await source.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id');
      expect(ran.map((row) => row.name)).toEqual([
        'CreateAppUsers1795420000000',
        'CreateMultiTokenAuthTables9000000000000',
        'AddClientSessionLifetimes9000000000001',
        'AddTokenScopes9000000000002',
        'AddTokenExpiryIndex9000000000003',
        'AddLegacyImports9000000000004',
        'StoreTimesAsUtc9000000000005',
        'AddRevocationJournal9000000000006',
        'AddTokenLifecycle9000000000007',
        'ExtendTokenLifecycle9000000000008',
        'AddTokenQuotas9000000000009',
      ]);
      await expect(assertSchemaExists(source)).resolves.toBeUndefined();
    } finally {
      await source.destroy();
    }
  });

  it('without the users migration, fails naming the table and the fix', async () => {
    await expect(dataSource([...multiTokenAuthMigrations])).rejects.toThrow(
      'multi-token-auth: the users table "app_users" does not exist, so auth_tokens cannot reference it. ' +
        'Add the migration that creates "app_users" to the migrations of the same data source',
    );
  });

  it("without the library's migrations, start-up fails naming the fix", async () => {
    const source = await dataSource([CreateAppUsers1795420000000]);
    try {
      await expect(assertSchemaExists(source)).rejects.toThrow(
        'multi-token-auth: the table "auth_clients" does not exist. Add ...multiTokenAuthMigrations to the migrations',
      );
    } finally {
      await source.destroy();
    }
  });

  it('an app that ran only the first migration is told which one is missing', async () => {
    const source = await dataSource([CreateAppUsers1795420000000, CreateMultiTokenAuthTables9000000000000]);
    try {
      await expect(assertSchemaExists(source)).rejects.toThrow(
        'the table "auth_clients" has no column "idle_timeout" (added by AddClientSessionLifetimes9000000000001). Add ...multiTokenAuthMigrations',
      );
    } finally {
      await source.destroy();
    }
  });

  it('with the migrations registered but not run, start-up says to run them', async () => {
    const source = await dataSource([CreateAppUsers1795420000000, ...multiTokenAuthMigrations], false);
    try {
      await expect(assertSchemaExists(source)).rejects.toThrow('Its migrations are registered but have not run');
    } finally {
      await source.destroy();
    }
  });
});

describe('start-up schema check', () => {
  it('runs when the module starts', async () => {
    // setup() without migrationsRun would be the app's mistake; here the module must refuse to start.
    await expect(setup({ user: { entity: TestUser } }, { migrationsRun: false })).rejects.toThrow(
      'Its migrations are registered but have not run',
    );
  });
});
