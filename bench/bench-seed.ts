import { randomUUID } from 'node:crypto';
import type { TokenCodec } from 'nestjs-multi-token-auth';
import type { DataSource } from 'typeorm';

const ROWS_PER_STATEMENT = 500;

/**
 * Inserts `count` tokens of one user straight into `auth_tokens` (batched multi-row inserts in one
 * transaction per 50 000) and returns their plaintexts, for the scale, rotation and purge runs.
 * Valid and never expiring, unless `expiresAt` is given.
 */
export async function seedTokens(
  dataSource: DataSource,
  userId: number,
  count: number,
  codec: TokenCodec,
  expiresAt: Date | null = null,
): Promise<string[]> {
  const tokens: string[] = [];
  const postgres = dataSource.options.type === 'postgres';
  // TypeORM writes SQLite datetimes as text; raw queries must do the same.
  const stored = (date: Date) => (postgres ? date : date.toISOString().replace('T', ' ').replace('Z', ''));
  const now = stored(new Date());
  const expiry = expiresAt && stored(expiresAt);
  for (let done = 0; done < count;) {
    await dataSource.transaction(async (manager) => {
      for (let inTransaction = 0; inTransaction < 50_000 && done < count; inTransaction += ROWS_PER_STATEMENT) {
        const rows = Math.min(ROWS_PER_STATEMENT, count - done);
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (let i = 0; i < rows; i++) {
          const token = codec.generate();
          tokens.push(token);
          const base = values.length;
          values.push(randomUUID(), userId, 1, codec.digest(token), now, expiry);
          const marks = [1, 2, 3, 4, 5, 6].map((n) => (postgres ? `$${base + n}` : '?'));
          tuples.push(`(${marks.join(', ')})`);
        }
        await manager.query(
          `INSERT INTO auth_tokens (id, user_id, client_id, digest, created_at, expires_at) VALUES ${tuples.join(', ')}`,
          values,
        );
        done += rows;
      }
    });
  }
  return tokens;
}
