import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DigestBatcher, type DigestRow } from './digest.batcher';
import { DEFAULT_DATABASE_TIMEOUT_MS, withDeadline } from './store.deadline';

/** Runs the hot-path lookup for one digest. */
export type DigestQuery = (digest: string) => Promise<DigestRow>;

/** The lookup's statement, in parts: the runner adds the condition its driver does best. */
export interface DigestStatement {
  /** `SELECT … FROM … JOIN …`, without a WHERE clause. */
  select: string;
  /** The digest column, qualified and quoted (`t."digest"`). */
  digestColumn: string;
  /** The alias the digest column is selected under. */
  digestAlias: string;
}

/** What the code below needs of node-postgres's `Pool` (TypeORM's `PostgresDriver.master`). */
interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: NonNullable<DigestRow>[] }>;
}

/** What the code below needs of better-sqlite3's `Database` (TypeORM's `databaseConnection`). */
interface SqliteDatabase {
  open: boolean;
  prepare(sql: string): { get(...values: unknown[]): unknown };
}

/**
 * The lookup by digest, run on the driver underneath TypeORM: the one query of the request path
 * is the one place where TypeORM's per-call query runner is most of the cost (a runner object, an
 * event broadcast, a pool round, and on better-sqlite3 a statement compiled again on every call,
 * as each runner has a statement cache of its own). Measured in-process: 25 µs a lookup through
 * `dataSource.query` on better-sqlite3, 2 µs with one prepared statement.
 *
 * - **better-sqlite3**: one statement prepared once on the data source's connection (prepared
 *   again if the connection is reopened), read synchronously, as TypeORM itself does.
 * - **PostgreSQL**: a *named* statement on the data source's own pool (`PostgresDriver.master`):
 *   PostgreSQL parses and plans it once per connection, then only binds and executes; concurrent
 *   lookups share one statement (`digest = ANY($1)`, `DigestBatcher`). Bounded by `databaseTimeout`
 *   from each lookup's start, as every store call is.
 * - Any other driver (sql.js, Capacitor): `dataSource.query`, as before.
 *
 * The price: TypeORM's query logging and `maxQueryExecutionTime` do not see this one statement
 * (docs/operations.md, "The token lookup", says so); every other query goes through TypeORM.
 */
export function digestQuery(
  dataSource: DataSource,
  statement: DigestStatement,
  timeoutMs = DEFAULT_DATABASE_TIMEOUT_MS,
): DigestQuery {
  const { driver } = dataSource;
  const { select, digestColumn, digestAlias } = statement;
  const sql = `${select} WHERE ${digestColumn} = ${driver.createParameter('digest', 0)}`;
  const type = dataSource.options.type;
  if (type === 'better-sqlite3') {
    const source = driver as unknown as { databaseConnection?: SqliteDatabase };
    let prepared: { on: SqliteDatabase; statement: ReturnType<SqliteDatabase['prepare']> } | undefined;
    return (digest) => {
      try {
        const connection = source.databaseConnection;
        // Worded as better-sqlite3 words it, so that it reads as the outage it is (a 503).
        if (!connection) throw new Error('The database connection is not open (the data source is not initialized).');
        if (prepared?.on !== connection) prepared = { on: connection, statement: connection.prepare(sql) };
        return Promise.resolve(prepared.statement.get(digest) as DigestRow);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
  }
  if (type === 'postgres') {
    const source = driver as unknown as { master?: PgPool };
    const text = `${select} WHERE ${digestColumn} = ANY($1)`;
    // One name per statement text: a different schema or entity layout is a different statement.
    const name = `mta_digest_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    const batcher = new DigestBatcher(
      async (digests) => {
        // Read on each call: a data source destroyed and initialized again has a new pool.
        const pool = source.master;
        if (!pool) throw new Error('Cannot use a pool after calling end (the data source is not initialized).');
        return (await pool.query({ name, text, values: [digests] })).rows;
      },
      (row) => row[digestAlias],
      timeoutMs,
    );
    return (digest) => batcher.find(digest);
  }
  return (digest) =>
    withDeadline(timeoutMs, 'findByDigest', async () => {
      const rows: unknown = await dataSource.query(sql, [digest]);
      return Array.isArray(rows) ? (rows[0] as DigestRow) : undefined;
    });
}
