import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { multiTokenAuthEntities } from '../../contracts/entities/auth-entities.factory';
import { multiTokenAuthMigrations } from '../../pure/migrations/multi-token-auth.migrations';
import type { RevokeJob, RevokeResult, RevokeStarted } from '../../testing/sqlite-revoker.child';
import { CreateTestUsers1000000000000, TestUser } from '../../testing/test-user.entity';
import { spawnTs } from '../../testing/ts-child';
import type { NewToken } from '../../contracts/token-store.interface';
import { TypeOrmTokenStore } from './typeorm-token.store';

const CHILD = join(__dirname, '..', '..', 'testing', 'sqlite-revoker.child.ts');

/**
 * Two processes on one SQLite file, as the demo and its CLI are: this one issues under the user's
 * lock, the child revokes all of the user's tokens (what `tokens revoke --user` does).
 */
describe('TypeOrmTokenStore on SQLite, across processes', () => {
  let dir: string;
  let source: DataSource;
  let store: TypeOrmTokenStore;
  let userId: number;
  let clientId: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mta-processes-'));
    source = await new DataSource({
      type: 'better-sqlite3',
      database: join(dir, 'auth.sqlite'),
      enableWAL: true,
      entities: [TestUser, ...multiTokenAuthEntities(TestUser)],
      migrations: [CreateTestUsers1000000000000, ...multiTokenAuthMigrations],
      migrationsRun: true,
    }).initialize();
    store = new TypeOrmTokenStore(source, TestUser);
    await source.query(`INSERT INTO test_users (username, password_hash) VALUES ('alice', 'x')`);
    await source.query(`INSERT INTO auth_clients (name) VALUES ('web')`);
    [{ id: userId }] = await source.query<{ id: number }[]>(`SELECT id FROM test_users`);
    [{ id: clientId }] = await source.query<{ id: number }[]>(`SELECT id FROM auth_clients`);
  });
  afterEach(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const token = (): NewToken => ({
    id: randomUUID(),
    userId,
    clientId,
    name: null,
    digest: randomUUID().replaceAll('-', '').padEnd(64, '0'),
    createdAt: new Date(),
    expiresAt: null,
    userAgent: null,
    ip: null,
    scopes: null,
  });

  /** The child, started; `started` once it is about to take the lock, `result` at its answer. */
  function revokeInChild(timeoutMs: number) {
    const job: RevokeJob = { file: join(dir, 'auth.sqlite'), userId, timeoutMs };
    const { child, output } = spawnTs(CHILD, { REVOKE_JOB: JSON.stringify(job) });
    let started!: () => void;
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    const result = new Promise<RevokeResult>((resolve, reject) => {
      child.on('message', (message: RevokeStarted | RevokeResult) =>
        'started' in message ? started() : resolve(message),
      );
      child.on('exit', (code) => reject(new Error(`revoker exited ${code}:\n${output()}`)));
    });
    return { started: startedPromise, result };
  }

  /** A login held inside its section (after the lock, before any read) until `release()`. */
  function heldIssue() {
    let entered!: () => void;
    let release!: () => void;
    const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const issued = store.withUserLock(userId, async (locked) => {
      entered();
      await released;
      // What an issue does under the lock: read the user's state and tokens, then insert.
      expect(await locked.findUser(userId)).toMatchObject({ id: userId });
      await locked.listActive(userId, new Date());
      return (await locked.insert(token())).id;
    });
    return { entered: enteredPromise, release, issued };
  }

  const storedIds = async () =>
    (await source.query<{ id: string }[]>(`SELECT id FROM auth_tokens WHERE user_id = ?`, [userId])).map(
      (row) => row.id,
    );

  it("a login inside its section when another process revokes all the user's tokens does not survive", async () => {
    const older = (await store.insert(token())).id;
    const login = heldIssue();
    await login.entered;
    const revoker = revokeInChild(5_000);
    await revoker.started;
    // The child now waits for the write lock this section holds (or, were it not held, revokes now).
    const early = await Promise.race([revoker.result, new Promise<'waiting'>((r) => setTimeout(r, 400, 'waiting'))]);
    login.release();
    const issued = await login.issued;
    const result = await revoker.result;
    // The revocation came second, so it revoked the login's token too: nothing of the user's is left.
    expect(await storedIds()).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(new Set(result.revoked)).toEqual(new Set([older, issued]));
    expect(early).toBe('waiting');
  }, 30_000);

  it('a revocation waiting for the lock past its databaseTimeout is a StoreTimeoutError, and changes nothing', async () => {
    const login = heldIssue();
    await login.entered;
    const revoker = revokeInChild(300);
    await revoker.started;
    const result = await revoker.result;
    expect(result.error).toBe('StoreTimeoutError');
    // better-sqlite3 waits synchronously: the wait is bounded by what was left of the 300 ms.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(250);
    expect(result.elapsedMs).toBeLessThan(1_000);
    login.release();
    const issued = await login.issued;
    expect(await storedIds()).toEqual([issued]);
  }, 30_000);
});
