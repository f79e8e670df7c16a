import { isUniqueViolation } from '../contracts/errors/token-issue.exceptions';
import type { NewToken, TokenStore } from '../contracts/token-store.interface';
import type { UserId } from '../contracts/user-id';
import type { ConformanceTestApi } from './conformance.api';

/** What `describeTokenStore` shares with the lifecycle cases: its store, users and token factory. */
export interface LifecycleCaseContext {
  store: () => TokenStore;
  users: () => [UserId, UserId];
  token: (userId: UserId, fields?: Partial<NewToken>) => NewToken;
  at: (seconds: number) => Date;
}

/**
 * The `TokenStore` contract for what changes over a token's life: unique names, `enabled` and `metadata` kept and
 * read back, and `update` (a pause, new metadata, a rename) applied to the user's own token only.
 * Registered by `describeTokenStore`, inside its describe block.
 */
export function describeTokenLifecycleCases({ it, expect }: ConformanceTestApi, ctx: LifecycleCaseContext): void {
  it('keeps names unique per user, failing with a unique violation', async () => {
    const [alice, bob] = ctx.users();
    await ctx.store().insert(ctx.token(alice, { name: 'ci' }));
    await ctx.store().insert(ctx.token(bob, { name: 'ci' }));
    expect(await ctx.store().hasNamed(alice, 'ci')).toBe(true);
    expect(await ctx.store().hasNamed(alice, 'other')).toBe(false);
    const duplicate = await ctx
      .store()
      .insert(ctx.token(alice, { name: 'ci' }))
      .catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
  });

  it('keeps metadata exactly, or null; a new token is enabled; both come back from every read', async () => {
    const [alice] = ctx.users();
    const metadata = { team: 'billing', limits: { daily: 5 }, tags: ['ci', 'é'] };
    const described = ctx.token(alice, { metadata, allowedIps: ['10.0.0.0/8', '2001:db8::/32'], rateLimit: '100/m' });
    const plain = ctx.token(alice);
    expect(await ctx.store().insert(described)).toMatchObject({ enabled: true, metadata });
    expect(await ctx.store().insert(plain)).toMatchObject({ enabled: true, metadata: null, replacedBy: null });
    expect(await ctx.store().findByDigest(described.digest)).toMatchObject({
      enabled: true,
      metadata,
      allowedIps: ['10.0.0.0/8', '2001:db8::/32'],
      rateLimit: '100/m',
    });
    expect(await ctx.store().findByDigest(plain.digest)).toMatchObject({
      enabled: true,
      metadata: null,
      replacedBy: null,
      rateLimit: null,
    });
    const listed = await ctx.store().listActive(alice, ctx.at(0));
    expect(listed.find((row) => row.id === described.id)).toMatchObject({ enabled: true, metadata });
  });

  it("updates only the fields given, of the user's own token, and returns its digest; null otherwise", async () => {
    const [alice, bob] = ctx.users();
    const stored = ctx.token(alice, { name: 'ci', metadata: { a: 1 } });
    await ctx.store().insert(stored);
    const paused = await ctx.store().update(alice, stored.id, { enabled: false });
    expect(paused).toMatchObject({ id: stored.id, userId: alice, digest: stored.digest });
    expect(await ctx.store().findByDigest(stored.digest)).toMatchObject({
      enabled: false,
      name: 'ci',
      metadata: { a: 1 },
    });
    await ctx.store().update(alice, stored.id, { allowedIps: ['127.0.0.1'], rateLimit: '5/s' });
    expect(await ctx.store().findByDigest(stored.digest)).toMatchObject({
      allowedIps: ['127.0.0.1'],
      rateLimit: '5/s',
    });
    const cleared = { enabled: true, metadata: null, name: 'deploy', allowedIps: null, rateLimit: null };
    await ctx.store().update(alice, stored.id, cleared);
    expect(await ctx.store().findByDigest(stored.digest)).toMatchObject(cleared);
    // What a roll with an overlap does to the old key: no name, an earlier expiry, its replacement.
    const replacement = '00000000-0000-4000-8000-0000000000aa';
    await ctx.store().update(alice, stored.id, { name: null, expiresAt: ctx.at(600), replacedBy: replacement });
    expect(await ctx.store().findByDigest(stored.digest)).toMatchObject({
      name: null,
      expiresAt: ctx.at(600),
      replacedBy: replacement,
    });
    expect(await ctx.store().update(bob, stored.id, { enabled: false })).toBeNull();
    expect(await ctx.store().update(alice, '00000000-0000-4000-8000-000000000000', { enabled: false })).toBeNull();
    expect((await ctx.store().findByDigest(stored.digest))?.enabled).toBe(true);
  });

  it('updates under a locked section too; a name another token of the user has is a unique violation', async () => {
    const [alice] = ctx.users();
    const [first, second] = [ctx.token(alice, { name: 'one' }), ctx.token(alice, { name: 'two' })];
    await ctx.store().insert(first);
    await ctx.store().insert(second);
    const clash = await ctx
      .store()
      .withUserLock(alice, (locked) => locked.update(alice, second.id, { name: 'one' }))
      .catch((error: unknown) => error);
    expect(isUniqueViolation(clash)).toBe(true);
    expect(
      await ctx.store().withUserLock(alice, (locked) => locked.update(alice, second.id, { enabled: false })),
    ).toMatchObject({ id: second.id, digest: second.digest });
    expect(await ctx.store().findByDigest(second.digest)).toMatchObject({ name: 'two', enabled: false });
  });

  it('refresh rotation: keeps familyId and graceEndsAt; filters by family and leaves rotated-out tokens out of session lists', async () => {
    const [alice, bob] = ctx.users();
    const first = ctx.token(alice);
    const second = ctx.token(alice, { familyId: first.id });
    const unrelated = ctx.token(alice);
    const bobs = ctx.token(bob, { familyId: first.id });
    for (const token of [first, second, unrelated, bobs]) await ctx.store().insert(token);
    expect(await ctx.store().findByDigest(first.digest)).toMatchObject({ familyId: null, graceEndsAt: null });
    expect(await ctx.store().findByDigest(second.digest)).toMatchObject({ familyId: first.id, graceEndsAt: null });
    const graceEndsAt = ctx.at(30);
    await ctx.store().update(alice, first.id, { replacedBy: second.id, familyId: first.id, graceEndsAt });
    expect(await ctx.store().findByDigest(first.digest)).toMatchObject({
      replacedBy: second.id,
      familyId: first.id,
      graceEndsAt,
    });
    const sessions = await ctx.store().listActive(alice, ctx.at(0), { excludeRotated: true });
    expect(sessions.map((token) => token.id).sort()).toEqual([second.id, unrelated.id].sort());
    const family = await ctx.store().withUserLock(alice, (locked) => locked.revoke(alice, { familyId: first.id }));
    expect(family.map((row) => row.id).sort()).toEqual([first.id, second.id].sort());
    expect(await ctx.store().findByDigest(unrelated.digest)).toMatchObject({ id: unrelated.id });
    // Another user's token that names the same family is not theirs to revoke.
    expect(await ctx.store().findByDigest(bobs.digest)).toMatchObject({ id: bobs.id });
  });

  it('quota: kept with its balance; balances written to the token and the keys it replaced, only over an older seq of the same quota', async () => {
    const [alice] = ctx.users();
    const setAt = ctx.at(0);
    const stored = {
      quota: { limit: 10, refill: { amount: 5, every: '1d' } },
      setAt,
      balance: { remaining: 10, refilledAt: setAt.getTime(), seq: 0 },
    };
    const key = ctx.token(alice, { quota: stored });
    const replaced = ctx.token(alice, { quota: stored });
    const plain = ctx.token(alice);
    for (const token of [key, replaced, plain]) await ctx.store().insert(token);
    await ctx.store().update(alice, replaced.id, { replacedBy: key.id });
    expect(await ctx.store().findByDigest(key.digest)).toMatchObject({
      quota: stored.quota,
      quotaSetAt: setAt,
      quotaRemaining: 10,
      quotaRefilledAt: setAt,
      quotaSeq: 0,
    });
    expect(await ctx.store().findByDigest(plain.digest)).toMatchObject({
      quota: null,
      quotaSetAt: null,
      quotaRemaining: null,
    });
    const write = (seq: number, remaining: number, at = setAt) => ({
      tokenId: key.id,
      setAt: at,
      balance: { remaining, refilledAt: setAt.getTime(), seq },
    });
    await ctx.store().saveQuotaBalances([write(4, 6)]);
    // Older, equal, or of another quota (set at another time): skipped.
    await ctx.store().saveQuotaBalances([write(3, 7), write(4, 9), write(9, 1, ctx.at(1))]);
    // Read from the store itself (a verified-token cache keeps the balance it read: it only seeds a ledger).
    for (const token of [key, replaced]) {
      expect(await ctx.store().findActive(alice, token.id, ctx.at(0))).toMatchObject({
        quotaRemaining: 6,
        quotaSeq: 4,
      });
    }
    // A change sets all five; null clears them.
    const changed = {
      quota: { limit: 3 },
      setAt: ctx.at(5),
      balance: { remaining: 3, refilledAt: ctx.at(5).getTime(), seq: 0 },
    };
    await ctx.store().update(alice, key.id, { quota: changed });
    expect(await ctx.store().findByDigest(key.digest)).toMatchObject({
      quota: { limit: 3 },
      quotaSetAt: ctx.at(5),
      quotaRemaining: 3,
      quotaSeq: 0,
    });
    await ctx.store().update(alice, key.id, { quota: null });
    expect(await ctx.store().findByDigest(key.digest)).toMatchObject({
      quota: null,
      quotaSetAt: null,
      quotaRemaining: null,
      quotaRefilledAt: null,
      quotaSeq: null,
    });
  });
}
