import type { DataSource } from 'typeorm';
import { AUTH_CLIENTS_TABLE, AUTH_TOKENS_TABLE } from '../multi-token-auth.constants';
import { multiTokenAuthMigrations } from './create-multi-token-auth-tables.migration';

/**
 * Fails start-up, naming the fix, when the library's tables are missing. Without it the first login
 * would fail on "no such table" and answer 503, far from the cause.
 */
export async function assertSchemaExists(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    for (const table of [AUTH_CLIENTS_TABLE, AUTH_TOKENS_TABLE]) {
      if (await runner.hasTable(table)) continue;
      const registered = dataSource.migrations.some((migration) =>
        multiTokenAuthMigrations.some((own) => migration instanceof own),
      );
      const fix = registered
        ? 'Its migrations are registered but have not run: set migrationsRun: true on the data source, ' +
          'or run them (typeorm migration:run) before the app starts.'
        : 'Add ...multiTokenAuthMigrations to the migrations of your data source and run them ' +
          '(migrationsRun: true, or typeorm migration:run).';
      throw new Error(`multi-token-auth: the table "${table}" does not exist. ${fix}`);
    }
  } finally {
    await runner.release();
  }
}
