import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { AuthClient } from '../../contracts/entities/auth-client.entity';
import { isStoreOutage } from '../../contracts/errors/store-outage';
import { StoreTimeoutError } from '../../contracts/errors/store-timeout.error';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup, type Fixture } from '../../testing/setup.fixture';
import type { LockedTokenStore } from '../../contracts/token-store.interface';
import { TokenStore } from '../../contracts/token-store.interface';
import { TypeOrmTokenStore } from './typeorm-token.store';

const TIMEOUT_MS = 200;

describe.each(DATABASES)('TypeOrmTokenStore within databaseTimeout, on %s', (kind) => {
  const database = useDatabase(kind);
  let fixture: Fixture;
  let url: string | undefined;
  let store: TokenStore;
  let clientId: number;

  beforeEach(async () => {
    url = await database();
    fixture = await setup({ cache: false, databaseTimeout: TIMEOUT_MS / 1000 }, { postgresUrl: url });
    store = fixture.module.get<TokenStore>(TokenStore);
    expect(store).toBeInstanceOf(TypeOrmTokenStore);
    clientId = (await fixture.module.get(DataSource).getRepository(AuthClient).findOneByOrFail({ name: 'web' })).id;
  });
  afterEach(() => fixture.close());

  it('a locked section past its deadline fails with StoreTimeoutError and stores nothing afterwards', async () => {
    const user = await fixture.createUser();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let finished!: Promise<unknown>;
    const section = store.withUserLock(user.id, (locked: LockedTokenStore) => {
      finished = (async () => {
        await held; // the app's work (or the database) takes longer than the bound
        return locked.insert({
          id: randomUUID(),
          userId: user.id,
          clientId,
          name: null,
          digest: 'a'.repeat(64),
          createdAt: new Date(),
          expiresAt: null,
          userAgent: null,
          ip: null,
          scopes: null,
        });
      })();
      return finished;
    });
    const error: unknown = await section.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreTimeoutError);
    release();
    // The step after the deadline is refused, not run: its caller was already told it failed.
    await expect(finished).rejects.toBeInstanceOf(StoreTimeoutError);
    expect(await fixture.tokens.count()).toBe(0);
    // And the user's next section runs normally.
    expect(await store.withUserLock(user.id, (locked) => locked.listActive(user.id, new Date()))).toEqual([]);
  });

  if (kind === 'PostgreSQL') {
    it("the server gives up too: a user's row lock held elsewhere is waited for no longer than the bound", async () => {
      const user = await fixture.createUser();
      const holder = new Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM test_users WHERE id = $1 FOR UPDATE', [user.id]);
        const started = performance.now();
        const error: unknown = await store
          .withUserLock(user.id, (locked) => locked.findUser(user.id))
          .catch((caught: unknown) => caught);
        expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 500);
        // PostgreSQL's lock_timeout (55P03) or the library's own deadline, whichever fired first: a 503.
        expect(isStoreOutage(error)).toBe(true);
        // No backend is left waiting for the lock while it is still held: lock_timeout ended the wait
        // in the server, and the pool has its connection back.
        let waiting = -1;
        for (let tries = 0; tries < 20 && waiting !== 0; tries++) {
          const { rows } = await holder.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
          );
          waiting = Number(rows[0]?.n);
          if (waiting !== 0) await new Promise((wait) => setTimeout(wait, 50));
        }
        expect(waiting).toBe(0);
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
      expect(await store.withUserLock(user.id, (locked) => locked.findUser(user.id))).toMatchObject({ id: user.id });
    });
  }
});
