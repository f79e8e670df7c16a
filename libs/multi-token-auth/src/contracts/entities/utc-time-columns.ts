import type { DataSource } from 'typeorm';
import { AUTH_CLIENTS_TABLE, AUTH_TOKENS_TABLE } from '../multi-token-auth.constants';

/** The column type of every library time column on PostgreSQL (what `StoreTimesAsUtc9000000000005` makes). */
export const POSTGRES_TIME_TYPE = 'timestamp with time zone';

/**
 * On PostgreSQL, gives the library's time columns the type `timestamptz` in this data source's
 * metadata, so that TypeORM's schema diff (`migration:generate`, `synchronize`, `schema:log`)
 * matches the columns `StoreTimesAsUtc9000000000005` made. SQLite keeps TypeORM's `datetime`.
 *
 * Why not in the decorators: a decorator names one type for every driver, and `timestamptz` is not
 * a SQLite type, while `Date` is `timestamp without time zone` on PostgreSQL. That type drops the
 * offset node-postgres sends with a `Date` (it writes the writing process's local wall time) and is
 * read back as the reading process's local time, so two instances in different time zones disagree
 * on every expiry. `timestamptz` stores the instant, whatever the process `TZ` or the server's
 * `TimeZone`.
 */
export function useUtcTimeColumns(dataSource: DataSource): void {
  if (dataSource.driver.options.type !== 'postgres') return;
  for (const metadata of dataSource.entityMetadatas) {
    if (metadata.tableName !== AUTH_TOKENS_TABLE && metadata.tableName !== AUTH_CLIENTS_TABLE) continue;
    for (const column of metadata.columns) {
      if (dataSource.driver.normalizeType(column) === 'timestamp without time zone') column.type = 'timestamptz';
    }
  }
}
