import type { DataSource, QueryRunner } from 'typeorm';
import { databaseNowMs } from '../../pure/migrations/add-revocation-journal.migration';
import { AUTH_REVOCATIONS_TABLE } from '../../contracts/multi-token-auth.constants';
import type { UserId } from '../../contracts/user-id';

/** One journal row: a token's digest, or a user id (every token of that user), or neither (everything). */
export interface JournalEntry {
  position: number;
  digest: string | null;
  userId: string | null;
}

/** What a journal follower reads: this database's journal, or the owner's over HTTP (a resource server). */
export type JournalReader = Pick<RevocationJournal, 'head' | 'after' | 'positions' | 'within' | 'prune'>;

interface Row {
  position: number | string;
  digest: string | null;
  user_id: string | null;
}

/**
 * SQL over `auth_revocations`, the durable record of revocations (rows of ended tokens are written
 * by the triggers of AddRevocationJournal9000000000006; changes to users by `recordUserChange`).
 * Every read is by the primary key (`position`); pruning by the `created_at` index.
 */
export class RevocationJournal {
  private readonly postgres: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  private p(n: number): string {
    return this.postgres ? `$${n}` : '?';
  }

  /** The highest position written so far (0 for an empty journal). */
  async head(): Promise<number> {
    const rows = await this.dataSource.query<{ head: number | string | null }[]>(
      `SELECT MAX("position") AS "head" FROM "${AUTH_REVOCATIONS_TABLE}"`,
    );
    return Number(rows[0]?.head ?? 0);
  }

  /** The lowest position still kept (`null` for an empty journal). */
  async oldest(): Promise<number | null> {
    const rows = await this.dataSource.query<{ oldest: number | string | null }[]>(
      `SELECT MIN("position") AS "oldest" FROM "${AUTH_REVOCATIONS_TABLE}"`,
    );
    const oldest = rows[0]?.oldest;
    return oldest === null || oldest === undefined ? null : Number(oldest);
  }

  /** Entries after `position`, in order, at most `limit`. */
  async after(position: number, limit: number): Promise<JournalEntry[]> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT "position", "digest", "user_id" FROM "${AUTH_REVOCATIONS_TABLE}" ` +
        `WHERE "position" > ${this.p(1)} ORDER BY "position" LIMIT ${this.p(2)}`,
      [position, limit],
    );
    return rows.map((row) => ({ position: Number(row.position), digest: row.digest, userId: row.user_id }));
  }

  /** The positions of every entry kept, up to `upTo`, in order (a follower's start). */
  async positions(upTo: number): Promise<number[]> {
    const rows = await this.dataSource.query<{ position: number | string }[]>(
      `SELECT "position" FROM "${AUTH_REVOCATIONS_TABLE}" WHERE "position" <= ${this.p(1)} ORDER BY "position"`,
      [upTo],
    );
    return rows.map((row) => Number(row.position));
  }

  /** Entries inside these inclusive ranges of positions (holes a follower waits on), in order. */
  async within(ranges: readonly (readonly [number, number])[]): Promise<JournalEntry[]> {
    if (ranges.length === 0) return [];
    const where = ranges.map((_, i) => `"position" BETWEEN ${this.p(2 * i + 1)} AND ${this.p(2 * i + 2)}`);
    const rows = await this.dataSource.query<Row[]>(
      `SELECT "position", "digest", "user_id" FROM "${AUTH_REVOCATIONS_TABLE}" WHERE ${where.join(' OR ')} ` +
        'ORDER BY "position"',
      ranges.flat(),
    );
    return rows.map((row) => ({ position: Number(row.position), digest: row.digest, userId: row.user_id }));
  }

  /** Deletes entries older than `horizonMs` on the database's clock. */
  async prune(horizonMs: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM "${AUTH_REVOCATIONS_TABLE}" WHERE "created_at" < ${databaseNowMs(this.postgres)} - ${this.p(1)}`,
      [horizonMs],
    );
  }

  /**
   * Records that a user changed (every cached token of theirs is stale), or, without `userId`, that
   * some users changed (every cached token is stale), through `runner`: inside the app's transaction
   * when there is one, so the record commits with the change.
   */
  async recordUserChange(runner: QueryRunner, userId: UserId | undefined): Promise<void> {
    await runner.query(
      `INSERT INTO "${AUTH_REVOCATIONS_TABLE}" ("created_at", "user_id") VALUES (${databaseNowMs(this.postgres)}, ${this.p(1)})`,
      [userId === undefined ? null : String(userId)],
    );
  }
}
