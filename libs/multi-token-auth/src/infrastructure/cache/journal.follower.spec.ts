import { DataSource } from 'typeorm';
import { TokenStore } from '../../contracts/token-store.interface';
import { RevocationJournal } from '../storage/revocation.journal';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TokenService } from '../../services/tokens/token.service';
import { DEFAULT_JOURNAL_TIMINGS, JournalFollower } from './journal.follower';
import type { Revocation } from '../../contracts/revocation-bus.interface';

describe.each(DATABASES)('revocation journal on %s', (kind) => {
  const database = useDatabase(kind);
  let fixture: Fixture;
  let tokens: TokenService;
  let journal: RevocationJournal;
  let applied: Revocation[];
  let now: number;
  let follower: JournalFollower;

  beforeEach(async () => {
    fixture = await setup({ cache: false }, { postgresUrl: await database() });
    tokens = fixture.module.get(TokenService);
    journal = new RevocationJournal(fixture.module.get(DataSource));
    applied = [];
    now = 1_000_000;
    follower = new JournalFollower(
      journal,
      { applyRemote: (r) => applied.push(r) },
      DEFAULT_JOURNAL_TIMINGS,
      () => now,
    );
    await follower.poll(); // an empty journal: nothing applied
    expect(applied).toEqual([]);
  }, 30_000);
  afterEach(() => fixture.close());

  const issued = async (user?: { id: number }) => {
    const owner = user ?? (await fixture.createUser());
    const { token, record } = await tokens.issue(owner, { client: 'web' });
    return { user: owner, digest: tokens.codec.digest(token), id: record.id };
  };
  const digestsApplied = () => applied.flatMap((r) => ('digests' in r ? r.digests : []));

  it('records every ended token in the same statement (revoke, logout-all, a cascade from a deleted user)', async () => {
    const one = await issued();
    const [two, three] = [await issued(), await issued()];
    const four = await issued(two.user);
    expect(await tokens.revoke(one.user.id, one.id)).toBe(true);
    await tokens.revokeAll(two.user.id);
    await fixture.users.delete({ id: three.user.id });
    await follower.poll();
    expect(digestsApplied().sort()).toEqual([one.digest, two.digest, three.digest, four.digest].sort());
  });

  it('records an expiry moved earlier, not one moved later (a sliding expiry stays off the journal)', async () => {
    const token = await issued();
    const store = fixture.module.get<TokenStore>(TokenStore);
    await store.touch(token.id, new Date(), 0, new Date(Date.now() + 365 * 86_400_000));
    await follower.poll();
    expect(applied).toEqual([]);
    await store.setExpiry(token, new Date(Date.now() + 60_000));
    await follower.poll();
    expect(applied).toEqual([{ digests: [token.digest] }]);
  });

  it("records the app's own change to a user (TypeORM), in its transaction: a rolled-back change leaves nothing", async () => {
    const user = await fixture.createUser();
    await fixture.users.save({ ...user, isActive: false });
    await fixture.users.update({ isActive: false }, { isActive: true }); // by criteria: no single user
    await expect(
      fixture.users.manager.transaction(async (manager) => {
        await manager.update(fixture.users.target, { id: user.id }, { isActive: false });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await follower.poll();
    expect(applied).toEqual([{ userId: String(user.id) }, { all: true }]);
  });

  it('does not journal the purge of a token that expired over an hour ago (database clock)', async () => {
    const [old, recent] = [await issued(), await issued()];
    await fixture.tokens.update({ id: old.id }, { expiresAt: new Date(Date.now() - 2 * 3_600_000) });
    await fixture.tokens.update({ id: recent.id }, { expiresAt: new Date(Date.now() - 60_000) });
    await follower.poll();
    applied = [];
    const purged = await fixture.module.get<TokenStore>(TokenStore).purgeExpired(new Date());
    expect(purged.map((row) => row.id).sort()).toEqual([old.id, recent.id].sort());
    await follower.poll();
    expect(digestsApplied()).toEqual([recent.digest]);
  });

  it('is fresh only while the last successful poll started under freshMs ago; a failing poll lets it lapse', async () => {
    expect(follower.isFresh()).toBe(true);
    now += DEFAULT_JOURNAL_TIMINGS.freshMs - 1;
    expect(follower.isFresh()).toBe(true);
    now += 1;
    expect(follower.isFresh()).toBe(false);
    const after = jest.spyOn(journal, 'after').mockRejectedValueOnce(new Error('connection refused'));
    await follower.poll();
    expect(follower.isFresh()).toBe(false);
    after.mockRestore();
    const token = await issued();
    await tokens.revoke(token.user.id, token.id); // missed meanwhile, applied on the next poll
    await follower.poll();
    expect(follower.isFresh()).toBe(true);
    expect(digestsApplied()).toEqual([token.digest]);
  });

  it('a follower that could not poll for longer than the horizon allows clears everything, then follows the head', async () => {
    const token = await issued();
    now += DEFAULT_JOURNAL_TIMINGS.horizonMs - DEFAULT_JOURNAL_TIMINGS.gapMs + 1;
    await tokens.revoke(token.user.id, token.id);
    await follower.poll();
    expect(applied).toEqual([{ all: true }]); // the revocation missed is covered by emptying the cache
    const next = await issued();
    await tokens.revoke(next.user.id, next.id);
    await follower.poll();
    expect(applied).toEqual([{ all: true }, { digests: [next.digest] }]);
  });

  (kind === 'PostgreSQL' ? it : it.skip)(
    'applies an entry that commits after a later one (out of order), and gives up on a rolled-back hole after gapMs',
    async () => {
      const [a, b, c, d] = [await issued(), await issued(), await issued(), await issued()];
      const dataSource = fixture.module.get(DataSource);
      const slow = dataSource.createQueryRunner();
      await slow.startTransaction();
      await slow.query('DELETE FROM auth_tokens WHERE id = $1', [a.id]); // takes its position first…
      await tokens.revoke(b.user.id, b.id); // …this one, later, commits first
      await follower.poll();
      expect(digestsApplied()).toEqual([b.digest]);
      await slow.commitTransaction();
      await follower.poll();
      expect(digestsApplied()).toEqual([b.digest, a.digest]);

      const hole = (await journal.head()) + 1;
      await slow.startTransaction();
      await slow.query('DELETE FROM auth_tokens WHERE id = $1', [c.id]);
      await slow.rollbackTransaction(); // a hole for ever
      await slow.release();
      await tokens.revoke(d.user.id, d.id);
      const within = jest.spyOn(journal, 'within');
      await follower.poll();
      expect(digestsApplied()).toEqual([b.digest, a.digest, d.digest]);
      now += DEFAULT_JOURNAL_TIMINGS.gapMs - 1;
      await follower.poll();
      expect(within).toHaveBeenLastCalledWith([[hole, hole]]); // still waited for
      now += 1;
      await follower.poll();
      expect(within).toHaveBeenLastCalledWith([]); // given up on
    },
  );

  (kind === 'PostgreSQL' ? it : it.skip)(
    'a revocation still uncommitted when a follower starts is applied once it commits',
    async () => {
      const [a, b] = [await issued(), await issued()];
      const slow = fixture.module.get(DataSource).createQueryRunner();
      await slow.startTransaction();
      await slow.query('DELETE FROM auth_tokens WHERE id = $1', [a.id]);
      await tokens.revoke(b.user.id, b.id);
      const late = new JournalFollower(
        journal,
        { applyRemote: (r) => applied.push(r) },
        DEFAULT_JOURNAL_TIMINGS,
        () => now,
      );
      applied = [];
      await late.poll();
      expect(applied).toEqual([]); // committed before it started: nothing of its (empty) cache to evict
      await slow.commitTransaction();
      await slow.release();
      await late.poll();
      expect(digestsApplied()).toEqual([a.digest]); // a hole below the head it started at
    },
  );

  it("the module's follower: with cache: false it still prunes (every pruneMs), with a cache it gates the cache", async () => {
    const off = fixture.module.get(JournalFollower);
    expect(off.timings.pollMs).toBe(DEFAULT_JOURNAL_TIMINGS.pruneMs);
    const on = await setup({}, { postgresUrl: await database() });
    try {
      const follower = on.module.get(JournalFollower);
      expect(follower.timings).toBe(DEFAULT_JOURNAL_TIMINGS);
      expect((on.module.get<TokenStore>(TokenStore) as unknown as { journal: unknown }).journal).toBe(follower);
    } finally {
      await on.close();
    }
  });

  it('prunes entries older than the horizon (database clock)', async () => {
    const token = await issued();
    await tokens.revoke(token.user.id, token.id);
    await follower.poll();
    expect(await journal.oldest()).not.toBeNull();
    await journal.prune(DEFAULT_JOURNAL_TIMINGS.horizonMs);
    expect(await journal.oldest()).not.toBeNull(); // younger than the horizon: kept
    await journal.prune(-60_000); // a horizon in the future: everything is older
    expect(await journal.oldest()).toBeNull();
    expect(await journal.head()).toBe(0);
    const again = await issued();
    await tokens.revoke(again.user.id, again.id); // a position is never reused once pruned
    await follower.poll();
    expect(digestsApplied()).toEqual([token.digest, again.digest]);
  });
});
