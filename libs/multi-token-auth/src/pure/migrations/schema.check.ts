import type { DataSource } from 'typeorm';
import {
  AUTH_CLIENTS_TABLE,
  AUTH_REVOCATIONS_TABLE,
  AUTH_TOKENS_TABLE,
} from '../../contracts/multi-token-auth.constants';
import { POSTGRES_TIME_TYPE } from '../../contracts/entities/utc-time-columns';
import { multiTokenAuthMigrations } from './multi-token-auth.migrations';

/** A column added after the first release, and the migration that adds it. */
const ADDED_COLUMNS = [
  { table: AUTH_CLIENTS_TABLE, column: 'idle_timeout', by: 'AddClientSessionLifetimes9000000000001' },
  { table: AUTH_TOKENS_TABLE, column: 'scopes', by: 'AddTokenScopes9000000000002' },
  { table: AUTH_CLIENTS_TABLE, column: 'default_scopes', by: 'AddTokenScopes9000000000002' },
];

/** Columns added after the revocation journal: checked after it, so the first migration missing is named. */
const LATER_COLUMNS = [
  { table: AUTH_TOKENS_TABLE, column: 'enabled', by: 'AddTokenLifecycle9000000000007' },
  { table: AUTH_TOKENS_TABLE, column: 'metadata', by: 'AddTokenLifecycle9000000000007' },
  { table: AUTH_TOKENS_TABLE, column: 'replaced_by', by: 'AddTokenLifecycle9000000000007' },
  { table: AUTH_TOKENS_TABLE, column: 'allowed_ips', by: 'AddTokenLifecycle9000000000007' },
  { table: AUTH_TOKENS_TABLE, column: 'rate_limit', by: 'ExtendTokenLifecycle9000000000008' },
  { table: AUTH_TOKENS_TABLE, column: 'family_id', by: 'ExtendTokenLifecycle9000000000008' },
  { table: AUTH_TOKENS_TABLE, column: 'grace_ends_at', by: 'ExtendTokenLifecycle9000000000008' },
  { table: AUTH_TOKENS_TABLE, column: 'last_ip', by: 'ExtendTokenLifecycle9000000000008' },
  { table: AUTH_TOKENS_TABLE, column: 'quota_seq', by: 'AddTokenQuotas9000000000009' },
];

/**
 * Fails start-up, naming the fix, when the library's tables or columns are missing (its migrations
 * are not registered, or have not run). Without it the first login would fail on "no such table"
 * and answer 503, far from the cause.
 */
export async function assertSchemaExists(dataSource: DataSource): Promise<void> {
  const registered = (name?: string) =>
    dataSource.migrations.some((migration) =>
      multiTokenAuthMigrations.some((own) => migration instanceof own && (!name || own.name === name)),
    );
  const fix = (name?: string) =>
    registered(name)
      ? 'Its migrations are registered but have not run: set migrationsRun: true on the data source, ' +
        'or run them (typeorm migration:run) before the app starts.'
      : 'Add ...multiTokenAuthMigrations to the migrations of your data source and run them ' +
        '(migrationsRun: true, or typeorm migration:run).';
  const runner = dataSource.createQueryRunner();
  try {
    for (const table of [AUTH_CLIENTS_TABLE, AUTH_TOKENS_TABLE]) {
      if (!(await runner.hasTable(table))) {
        throw new Error(`multi-token-auth: the table "${table}" does not exist. ${fix()}`);
      }
    }
    const hasColumns = async (columns: typeof ADDED_COLUMNS) => {
      for (const { table, column, by } of columns) {
        if (!(await runner.hasColumn(table, column))) {
          throw new Error(
            `multi-token-auth: the table "${table}" has no column "${column}" (added by ${by}). ${fix(by)}`,
          );
        }
      }
    };
    await hasColumns(ADDED_COLUMNS);
    // PostgreSQL: a time column without a time zone means the expiry depends on each process's TZ.
    if (dataSource.driver.options.type === 'postgres') {
      const by = 'StoreTimesAsUtc9000000000005';
      const expiresAt = (await runner.getTable(AUTH_TOKENS_TABLE))?.findColumnByName('expires_at');
      if (expiresAt && expiresAt.type !== POSTGRES_TIME_TYPE) {
        throw new Error(
          `multi-token-auth: the column "${AUTH_TOKENS_TABLE}.expires_at" is ${expiresAt.type}, not ${POSTGRES_TIME_TYPE} ` +
            `(changed by ${by}). ${fix(by)}`,
        );
      }
    }
    if (!(await runner.hasTable(AUTH_REVOCATIONS_TABLE))) {
      const by = 'AddRevocationJournal9000000000006';
      throw new Error(
        `multi-token-auth: the table "${AUTH_REVOCATIONS_TABLE}" does not exist (added by ${by}). ${fix(by)}`,
      );
    }
    await hasColumns(LATER_COLUMNS);
  } finally {
    await runner.release();
  }
}
