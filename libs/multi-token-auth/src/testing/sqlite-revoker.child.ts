import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { multiTokenAuthEntities } from '../contracts/entities/auth-entities.factory';
import { TypeOrmTokenStore } from '../infrastructure/storage/typeorm-token.store';
import { TestUser } from './test-user.entity';

/** What the parent asks of this process: revoke every token of `userId` in the SQLite `file`. */
export interface RevokeJob {
  file: string;
  userId: number;
  /** The store's `databaseTimeout`, in milliseconds. */
  timeoutMs: number;
}

/** Sent first, once the revocation is about to take the user's lock; then one `RevokeResult`. */
export interface RevokeStarted {
  started: true;
}

/** The ids revoked, or the error's name; `elapsedMs` from taking the lock to the answer. */
export interface RevokeResult {
  revoked?: string[];
  error?: string;
  elapsedMs: number;
}

/**
 * A second process on the parent's SQLite file doing what `tokens revoke --user` does in the CLI:
 * `revokeAll` for one user (a revocation under the user's lock), with the library's own store.
 */
async function main(job: RevokeJob): Promise<void> {
  const source = await new DataSource({
    type: 'better-sqlite3',
    database: job.file,
    enableWAL: true,
    entities: [TestUser, ...multiTokenAuthEntities(TestUser)],
  }).initialize();
  const store = new TypeOrmTokenStore(source, TestUser, 'id', job.timeoutMs);
  await new Promise<void>((resolve) => process.send?.({ started: true } satisfies RevokeStarted, () => resolve()));
  const started = Date.now();
  const result: RevokeResult = await store
    .withUserLock(job.userId, (locked) => locked.revoke(job.userId, {}))
    .then(
      (rows) => ({ revoked: rows.map((row) => row.id), elapsedMs: Date.now() - started }),
      (error: unknown) => ({
        error: error instanceof Error ? error.name : String(error),
        elapsedMs: Date.now() - started,
      }),
    );
  await source.destroy();
  process.send?.(result, () => process.exit(0));
}

main(JSON.parse(process.env.REVOKE_JOB ?? '{}') as RevokeJob).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
