import type { DataSource } from 'typeorm';
import { AUTH_TOKEN_USAGE_TABLE, AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';
import { withDeadline } from './store.deadline';

/** Requests and refusals of one token on one UTC day (`YYYY-MM-DD`). */
export interface DayUsage {
  tokenId: string;
  day: string;
  requests: number;
  refused: number;
}

/** Most rows in one statement (four parameters each). */
const BATCH = 200;

/**
 * SQL over `auth_token_usage` (made by ExtendTokenLifecycle9000000000008): counts added by every
 * instance's flush, one upsert for many keys, read back by key and day (the primary key). Rows of
 * tokens revoked before the flush are skipped (the join on `auth_tokens`); rows older than the
 * longest range a read asks for are pruned by day (`prune`).
 */
export class TokenUsageTable {
  private readonly postgres: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly timeoutMs: number,
  ) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** Adds each row's counts to what is stored for its token and day. */
  async add(rows: readonly DayUsage[]): Promise<void> {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const p = (n: number) => (this.postgres ? `$${n}` : '?');
      const int = (n: number) => (this.postgres ? `CAST(${p(n)} AS integer)` : p(n));
      const values = batch.map((_row, i) => `(${p(4 * i + 1)}, ${p(4 * i + 2)}, ${int(4 * i + 3)}, ${int(4 * i + 4)})`);
      const parameters = batch.flatMap((row) => [row.tokenId, row.day, row.requests, row.refused]);
      const t = `"${AUTH_TOKEN_USAGE_TABLE}"`;
      // `WHERE true`: SQLite's parser needs a WHERE before ON CONFLICT after a SELECT.
      const sql =
        `INSERT INTO ${t} ("token_id", "day", "requests", "refused") ` +
        `SELECT v.column1, v.column2, v.column3, v.column4 FROM (VALUES ${values.join(', ')}) AS v ` +
        `JOIN "${AUTH_TOKENS_TABLE}" tokens ON tokens."id" = v.column1 WHERE true ` +
        `ON CONFLICT ("token_id", "day") DO UPDATE SET "requests" = ${t}."requests" + excluded."requests", ` +
        `"refused" = ${t}."refused" + excluded."refused"`;
      await withDeadline(this.timeoutMs, 'usage flush', () => this.dataSource.query(sql, parameters));
    }
  }

  /** Deletes every row of a day before `day`. */
  async prune(day: string): Promise<void> {
    const p = this.postgres ? '$1' : '?';
    await withDeadline(this.timeoutMs, 'usage prune', () =>
      this.dataSource.query(`DELETE FROM "${AUTH_TOKEN_USAGE_TABLE}" WHERE "day" < ${p}`, [day]),
    );
  }

  /** The token's rows from `fromDay` on, oldest first. */
  async read(tokenId: string, fromDay: string): Promise<DayUsage[]> {
    const p = (n: number) => (this.postgres ? `$${n}` : '?');
    const rows = await withDeadline(this.timeoutMs, 'usage read', () =>
      this.dataSource.query<{ day: string; requests: number | string; refused: number | string }[]>(
        `SELECT "day", "requests", "refused" FROM "${AUTH_TOKEN_USAGE_TABLE}" ` +
          `WHERE "token_id" = ${p(1)} AND "day" >= ${p(2)} ORDER BY "day"`,
        [tokenId, fromDay],
      ),
    );
    return rows.map((row) => ({ tokenId, day: row.day, requests: Number(row.requests), refused: Number(row.refused) }));
  }
}
