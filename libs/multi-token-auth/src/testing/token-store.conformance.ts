import { conformanceTestApi, type ConformanceTestApi } from './conformance.api';
import { randomUUID } from 'node:crypto';
import { describeTokenLifecycleCases } from './token-store-lifecycle.conformance';
import type { NewToken, TokenStore } from '../contracts/token-store.interface';
import type { UserId } from '../contracts/user-id';

/** What a conformance run needs from an implementation: a fresh store and a way to add users. */
export interface TokenStoreHarness {
  store: TokenStore;
  /** Two clients that exist in the store's database. */
  clientIds: [number, number];
  createUser(): Promise<UserId>;
  close(): Promise<void>;
}

const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let sequence = 0;

/**
 * The `TokenStore` contract. Every implementation calls this from its own spec with a factory for
 * a fresh, empty store, as @nestjs/throttler's storages would share one suite.
 */
export function describeTokenStore(
  name: string,
  factory: () => Promise<TokenStoreHarness>,
  api?: ConformanceTestApi,
): void {
  const testApi = conformanceTestApi(api, 'describeTokenStore');
  const { describe, it, beforeEach, afterEach, expect } = testApi;
  describe(`TokenStore contract: ${name}`, () => {
    let h: TokenStoreHarness;
    let alice: UserId;
    let bob: UserId;
    beforeEach(async () => {
      h = await factory();
      [alice, bob] = [await h.createUser(), await h.createUser()];
    });
    afterEach(() => h.close());

    const token = (userId: UserId, fields: Partial<NewToken> = {}): NewToken => ({
      id: randomUUID(),
      userId,
      clientId: h.clientIds[0],
      name: null,
      digest: `${String(++sequence).padStart(4, '0')}${'d'.repeat(60)}`,
      createdAt: at(sequence),
      expiresAt: null,
      userAgent: 'agent',
      ip: '127.0.0.1',
      scopes: null,
      ...fields,
    });
    const ids = (rows: { id: string }[]) => rows.map((row) => row.id).sort();

    it('finds a token by digest, with its user, its userId and typed columns; null for an unknown digest', async () => {
      const stored = token(alice, { name: 'laptop', expiresAt: at(3600) });
      const inserted = await h.store.insert(stored);
      expect(inserted).toMatchObject({ id: stored.id, userId: alice, digest: stored.digest });
      const found = await h.store.findByDigest(stored.digest);
      expect(found).toMatchObject({ id: stored.id, userId: alice, clientId: h.clientIds[0], name: 'laptop' });
      expect(found?.expiresAt).toEqual(at(3600));
      expect(found?.createdAt).toEqual(stored.createdAt);
      expect(found?.lastUsedAt).toBeNull();
      expect(found?.user).toMatchObject({ id: alice, isActive: true });
      expect(await h.store.findByDigest('f'.repeat(64))).toBeNull();
    });

    it('keeps scopes exactly, or null, and returns them from insert and from every read', async () => {
      const scoped = token(alice, { scopes: ['orders:read', 'reports:export'] });
      const open = token(alice);
      expect((await h.store.insert(scoped)).scopes).toEqual(scoped.scopes);
      expect((await h.store.insert(open)).scopes).toBeNull();
      expect((await h.store.findByDigest(scoped.digest))?.scopes).toEqual(['orders:read', 'reports:export']);
      expect((await h.store.findByDigest(open.digest))?.scopes).toBeNull();
      expect((await h.store.findActive(alice, scoped.id, at(0)))?.scopes).toEqual(scoped.scopes);
      const listed = await h.store.listActive(alice, at(0));
      expect(listed.find((row) => row.id === scoped.id)?.scopes).toEqual(scoped.scopes);
      expect(listed.find((row) => row.id === open.id)?.scopes).toBeNull();
    });

    it('lists unexpired tokens newest first, narrowed by every filter', async () => {
      const [a, b, c] = [token(alice), token(alice, { clientId: h.clientIds[1] }), token(alice)];
      for (const t of [a, b, c, token(alice, { expiresAt: at(0) }), token(bob)]) await h.store.insert(t);
      const now = at(10);
      expect((await h.store.listActive(alice, now)).map((t) => t.id)).toEqual([c.id, b.id, a.id]);
      expect(ids(await h.store.listActive(alice, now, { clientId: h.clientIds[1] }))).toEqual([b.id]);
      expect(ids(await h.store.listActive(alice, now, { excludeClientId: h.clientIds[1] }))).toEqual(ids([a, c]));
      expect(ids(await h.store.listActive(alice, now, { exceptTokenId: a.id }))).toEqual(ids([b, c]));
      expect(ids(await h.store.listActive(alice, now, { ids: [a.id, b.id] }))).toEqual(ids([a, b]));
      expect(await h.store.listActive(alice, now, { ids: [] })).toEqual([]);
      expect(await h.store.findActive(alice, a.id, now)).toMatchObject({ id: a.id });
      expect(await h.store.findActive(bob, a.id, now)).toBeNull();
    });

    it('pages a list: limit, then the tokens after a position (createdAt, then id, both descending)', async () => {
      // Two tokens share a createdAt: the id breaks the tie, so a page boundary between them loses none.
      const same = at(500);
      const list = [token(alice), token(alice, { createdAt: same }), token(alice, { createdAt: same }), token(alice)];
      for (const t of list) await h.store.insert(t);
      const all = await h.store.listActive(alice, at(0));
      const seen: string[] = [];
      let after: { createdAt: Date; id: string } | undefined;
      for (let round = 0; round < 10; round++) {
        const page = await h.store.listActive(alice, at(0), { limit: 1, after });
        if (page.length === 0) break;
        expect(page).toHaveLength(1);
        seen.push(page[0].id);
        after = { createdAt: page[0].createdAt, id: page[0].id };
      }
      expect(seen).toEqual(all.map((t) => t.id));
      expect(ids(await h.store.listActive(alice, at(0), { limit: 3 }))).toEqual(ids(all.slice(0, 3)));
    });

    it('reads the user as stored now, inside and outside a locked section; null for an unknown id', async () => {
      expect(await h.store.findUser(alice)).toMatchObject({ id: alice });
      expect(await h.store.withUserLock(bob, (locked) => locked.findUser(bob))).toMatchObject({ id: bob });
      const unknown = typeof alice === 'number' ? 987_654 : randomUUID();
      expect(await h.store.findUser(unknown)).toBeNull();
    });

    it('revokes exactly the matching tokens of one user and returns them, once', async () => {
      const [a, b, c] = [token(alice), token(alice, { clientId: h.clientIds[1] }), token(alice)];
      const other = token(bob);
      for (const t of [a, b, c, other]) await h.store.insert(t);
      const revoked = await h.store.revoke(alice, { exceptTokenId: c.id, excludeClientId: h.clientIds[1] });
      // Everything an audit event names, and the digest for the cache.
      expect(revoked).toEqual([
        { id: a.id, userId: alice, digest: a.digest, clientId: a.clientId, ip: '127.0.0.1', userAgent: 'agent' },
      ]);
      expect(await h.store.revoke(alice, { ids: [a.id] })).toEqual([]);
      expect(await h.store.revoke(alice, { ids: [other.id] })).toEqual([]); // not alice's
      expect(await h.store.revoke(alice, { ids: [] })).toEqual([]);
      expect(ids(await h.store.revoke(alice, {}))).toEqual(ids([b, c]));
      expect(await h.store.findByDigest(other.digest)).toMatchObject({ id: other.id });
    });

    it('reports each token once when the same tokens are revoked concurrently', async () => {
      const tokens = [token(alice), token(alice), token(alice)];
      for (const t of tokens) await h.store.insert(t);
      const results = await Promise.all([1, 2, 3].map(() => h.store.revoke(alice, {})));
      expect(ids(results.flat())).toEqual(ids(tokens));
    });

    it('purges tokens expired at the given time, of one user or of all, and returns them', async () => {
      const [old, live, never, bobs] = [
        token(alice, { expiresAt: at(5) }),
        token(alice, { expiresAt: at(50) }),
        token(alice),
        token(bob, { expiresAt: at(5) }),
      ];
      for (const t of [old, live, never, bobs]) await h.store.insert(t);
      expect(await h.store.purgeExpired(at(5), alice)).toEqual([
        { id: old.id, userId: alice, digest: old.digest, clientId: old.clientId, ip: '127.0.0.1', userAgent: 'agent' },
      ]);
      expect(ids(await h.store.purgeExpired(at(60)))).toEqual(ids([live, bobs]));
      expect(ids(await h.store.listActive(alice, at(60)))).toEqual([never.id]);
    });

    it('purges in bounded batches, longest expired first, of one user or of all', async () => {
      const expired = [30, 10, 20, 40].map((second) => token(alice, { expiresAt: at(second) }));
      const bobs = token(bob, { expiresAt: at(5) });
      const live = token(alice, { expiresAt: at(500) });
      for (const t of [...expired, bobs, live]) await h.store.insert(t);
      expect(ids(await h.store.purgeExpired(at(100), alice, 2))).toEqual(ids([expired[1], expired[2]]));
      expect(ids(await h.store.purgeExpired(at(100), undefined, 2))).toEqual(ids([bobs, expired[0]]));
      expect(ids(await h.store.purgeExpired(at(100), undefined, 2))).toEqual(ids([expired[3]]));
      expect(await h.store.purgeExpired(at(100), undefined, 2)).toEqual([]);
      expect(ids(await h.store.listActive(alice, at(100)))).toEqual([live.id]);
    });

    it('sets the expiry of an existing token only', async () => {
      const t = token(alice);
      await h.store.insert(t);
      expect(await h.store.setExpiry(t, at(100))).toBe(true);
      expect((await h.store.findByDigest(t.digest))?.expiresAt).toEqual(at(100));
      expect(await h.store.findActive(alice, t.id, at(100))).toBeNull();
      expect(await h.store.setExpiry({ id: randomUUID(), digest: 'f'.repeat(64) }, at(100))).toBe(false);
    });

    it('touches lastUsedAt at most once per interval', async () => {
      const t = token(alice);
      await h.store.insert(t);
      // Read through findActive: a cached findByDigest may show lastUsedAt late, by design.
      const lastUsed = async () => (await h.store.findActive(alice, t.id, at(0)))?.lastUsedAt;
      await h.store.touch(t.id, at(100), 60_000);
      expect(await lastUsed()).toEqual(at(100));
      await h.store.touch(t.id, at(159), 60_000);
      expect(await lastUsed()).toEqual(at(100));
      await h.store.touch(t.id, at(160), 60_000);
      expect(await lastUsed()).toEqual(at(160));
    });

    it('slides the expiry in the same coalesced write as lastUsedAt', async () => {
      const t = token(alice, { expiresAt: at(100) });
      await h.store.insert(t);
      const stored = () => h.store.findActive(alice, t.id, at(0));
      await h.store.touch(t.id, at(50), 60_000, at(150));
      expect(await stored()).toMatchObject({ lastUsedAt: at(50), expiresAt: at(150) });
      await h.store.touch(t.id, at(80), 60_000, at(180)); // within the interval: nothing written
      expect((await stored())?.expiresAt).toEqual(at(150));
      await h.store.touch(t.id, at(110), 60_000);
      expect(await stored()).toMatchObject({ lastUsedAt: at(110), expiresAt: at(150) });
    });

    it('touchMany: each token by its own time, interval and expiry; never one expired at its use', async () => {
      const [plain, sliding, recent] = [token(alice), token(alice, { expiresAt: at(100) }), token(alice)];
      const [expired, refreshed] = [token(alice, { expiresAt: at(100) }), token(alice, { expiresAt: at(300) })];
      for (const t of [plain, sliding, recent, expired, refreshed]) await h.store.insert(t);
      await h.store.touch(recent.id, at(100), 60_000);
      await h.store.touchMany([
        { tokenId: plain.id, now: at(120), intervalMs: 60_000 },
        { tokenId: sliding.id, now: at(90), intervalMs: 30_000, expiresAt: at(150) },
        { tokenId: recent.id, now: at(130), intervalMs: 60_000 }, // within its interval: kept
        { tokenId: expired.id, now: at(120), intervalMs: 60_000, expiresAt: at(200) }, // expired at 100
        { tokenId: refreshed.id, now: at(90), intervalMs: 60_000, expiresAt: at(150) }, // only moves later
        { tokenId: randomUUID(), now: at(120), intervalMs: 60_000 },
      ]);
      const stored = async (t: NewToken) => {
        const row = await h.store.findActive(alice, t.id, at(0));
        return { lastUsedAt: row?.lastUsedAt, expiresAt: row?.expiresAt };
      };
      expect(await stored(plain)).toEqual({ lastUsedAt: at(120), expiresAt: null });
      expect(await stored(sliding)).toEqual({ lastUsedAt: at(90), expiresAt: at(150) });
      expect(await stored(recent)).toEqual({ lastUsedAt: at(100), expiresAt: null });
      expect(await stored(expired)).toEqual({ lastUsedAt: null, expiresAt: at(100) });
      expect(await stored(refreshed)).toEqual({ lastUsedAt: at(90), expiresAt: at(300) });
    });

    it('serializes locked sections of one user: a check-then-insert limit of 1 holds under 20 at once', async () => {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          h.store.withUserLock(alice, async (locked) => {
            if ((await locked.listActive(alice, at(0))).length === 0) await locked.insert(token(alice));
          }),
        ),
      );
      expect(await h.store.listActive(alice, at(0))).toHaveLength(1);
    });

    describeTokenLifecycleCases(testApi, { store: () => h.store, users: () => [alice, bob], token, at });
  });
}
