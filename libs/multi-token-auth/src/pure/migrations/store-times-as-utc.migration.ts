import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  AUTH_CLIENTS_TABLE,
  AUTH_LEGACY_IMPORTS_TABLE,
  AUTH_TOKENS_TABLE,
} from '../../contracts/multi-token-auth.constants';

/** Who wrote a column's values, which decides the zone its old wall-clock values are read in. */
type Writer = 'node' | 'server';

const TIME_COLUMNS: { table: string; column: string; writer: Writer }[] = [
  { table: AUTH_TOKENS_TABLE, column: 'created_at', writer: 'node' },
  { table: AUTH_TOKENS_TABLE, column: 'expires_at', writer: 'node' },
  { table: AUTH_TOKENS_TABLE, column: 'last_used_at', writer: 'node' },
  { table: AUTH_LEGACY_IMPORTS_TABLE, column: 'imported_at', writer: 'node' },
  // The column default now(): written in the session TimeZone, which node-postgres never sets.
  { table: AUTH_CLIENTS_TABLE, column: 'created_at', writer: 'server' },
];

async function rowsOf<T>(queryRunner: QueryRunner, sql: string, parameters?: unknown[]): Promise<T[]> {
  return (await queryRunner.query(sql, parameters)) as T[];
}

/**
 * The IANA zone this process runs in (`TZ`, else the system's): what node-postgres wrote in. A `TZ`
 * that Node cannot resolve leaves its dates in UTC, and the name undefined.
 */
export function processTimeZone(): string {
  // Typed as a string, but undefined at run time when ICU cannot resolve TZ.
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Makes every stored time an unambiguous instant.
 *
 * PostgreSQL: the time columns become `timestamptz`. They were `timestamp without time zone`,
 * into which node-postgres writes a `Date` as the writing process's local wall time (the offset
 * it sends is dropped) and from which it reads one back as the reading process's local time. The
 * old values are therefore read in the time zone of the process running this migration (set `TZ`
 * when running it to say another), which is exactly the instant the app reads today; the
 * `created_at` of clients, filled by the database's `now()`, is read in the server's `TimeZone`.
 * Columns already `timestamptz` are left alone.
 *
 * SQLite: TypeORM already stores UTC (`YYYY-MM-DD HH:MM:SS.SSS`) and reads it as UTC, in every
 * process time zone. Values written around it in another form (ISO with `T`, `Z` or an offset)
 * are rewritten to that form, in UTC, because expiry and purge compare the text; a value SQLite
 * cannot read as a time fails the migration rather than make a token that never expires.
 */
export class StoreTimesAsUtc9000000000005 implements MigrationInterface {
  name = 'StoreTimesAsUtc9000000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'postgres') await this.retype(queryRunner, 'timestamptz');
    else await this.canonicalizeSqlite(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // SQLite: the canonical form is what TypeORM wrote before this migration; nothing to undo.
    if (queryRunner.connection.driver.options.type === 'postgres') await this.retype(queryRunner, 'timestamp');
  }

  private async retype(queryRunner: QueryRunner, to: 'timestamptz' | 'timestamp'): Promise<void> {
    const from = to === 'timestamptz' ? 'timestamp without time zone' : 'timestamp with time zone';
    const nodeZone = await this.knownZone(queryRunner, processTimeZone());
    for (const table of new Set(TIME_COLUMNS.map((entry) => entry.table))) {
      const changes: string[] = [];
      for (const { column, writer } of TIME_COLUMNS.filter((entry) => entry.table === table)) {
        if ((await this.typeOf(queryRunner, table, column)) !== from) continue;
        const zone = writer === 'node' ? nodeZone : "current_setting('TimeZone')";
        // timestamp AT TIME ZONE z: the instant that wall time is in z; timestamptz AT TIME ZONE z: the reverse.
        changes.push(`ALTER COLUMN "${column}" TYPE ${to} USING "${column}" AT TIME ZONE ${zone}`);
      }
      if (changes.length > 0) await queryRunner.query(`ALTER TABLE "${table}" ${changes.join(', ')}`);
    }
  }

  /** The zone as a quoted SQL literal, once PostgreSQL has confirmed it knows the name. */
  private async knownZone(queryRunner: QueryRunner, zone: string): Promise<string> {
    const rows = await rowsOf<unknown>(queryRunner, 'SELECT 1 FROM pg_timezone_names WHERE name = $1', [zone]);
    if (rows.length === 0) {
      throw new Error(
        `multi-token-auth: PostgreSQL does not know the time zone "${zone}" of this process, in which the ` +
          'stored times were written. Run the migrations with TZ set to the IANA zone the app ran in (e.g. TZ=UTC).',
      );
    }
    return `'${zone.replace(/'/g, "''")}'`;
  }

  private async typeOf(queryRunner: QueryRunner, table: string, column: string): Promise<string | undefined> {
    const rows = await rowsOf<{ data_type: string }>(
      queryRunner,
      'SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2',
      [table, column],
    );
    return rows[0]?.data_type;
  }

  private async canonicalizeSqlite(queryRunner: QueryRunner): Promise<void> {
    for (const { table, column } of TIME_COLUMNS) {
      if (!(await queryRunner.hasColumn(table, column))) continue;
      const canonical = `strftime('%Y-%m-%d %H:%M:%f', "${column}")`;
      const unreadable = await rowsOf<{ value: unknown }>(
        queryRunner,
        `SELECT "${column}" AS value FROM "${table}" WHERE typeof("${column}") <> 'null' AND ${canonical} IS NULL LIMIT 1`,
      );
      if (unreadable.length > 0) {
        throw new Error(
          `multi-token-auth: ${table}.${column} holds a value SQLite cannot read as a time ("${String(unreadable[0]?.value)}"). ` +
            'Correct or delete such rows, then run the migrations again.',
        );
      }
      await queryRunner.query(
        `UPDATE "${table}" SET "${column}" = ${canonical} WHERE "${column}" IS NOT NULL AND "${column}" <> ${canonical}`,
      );
    }
  }
}
