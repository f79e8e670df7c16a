import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { InvalidTokenException, TokenLimitExceededException } from '../../contracts/errors/auth.exceptions';
import { TokenNameTakenException, UnknownClientException } from '../../contracts/errors/token-issue.exceptions';
import { ManualClock } from '../../contracts/clock/manual.clock';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup, type Fixture } from '../../testing/setup.fixture';
import type { Repository } from 'typeorm';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { TypeOrmTokenTable } from '../../infrastructure/storage/typeorm-token.table';
import { TokenStore } from '../../contracts/token-store.interface';
import { TokenService } from './token.service';

describe.each(DATABASES)('TokenService on %s', (kind) => {
  const database = useDatabase(kind);
  let fixture: Fixture;
  let tokens: TokenService;
  let tokenRows: Repository<AuthToken>;
  let clock: ManualClock;

  async function start(options: Parameters<typeof setup>[0] = {}) {
    clock = new ManualClock();
    fixture = await setup({ clock, ...options }, { postgresUrl: await database() });
    tokens = fixture.module.get(TokenService);
    tokenRows = fixture.tokens;
  }
  const rows = () => tokenRows.find({ order: { createdAt: 'ASC' } });

  afterEach(async () => {
    await fixture?.close();
  });

  it('issues a token, stores only its digest, and expires it after the client TTL', async () => {
    await start();
    const user = await fixture.createUser();
    const { token, record } = await tokens.issue(user, {
      client: 'web',
      name: 'laptop',
      userAgent: 'x'.repeat(300),
      ip: '10.0.0.1',
    });
    expect(record.expiresAt?.getTime()).toBe(clock.now().getTime() + 3600_000);
    const [row] = await rows();
    expect(row).toMatchObject({ id: record.id, digest: tokens.codec.digest(token), name: 'laptop', ip: '10.0.0.1' });
    expect(row.userAgent).toHaveLength(255);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('refuses a store that drops the scopes: nothing wider than asked is ever left behind', async () => {
    await start({
      clients: [{ name: 'cli', tokenTtl: 3600, scopes: ['orders:read', 'orders:write'] }],
      apiKeyClient: null,
    });
    const user = await fixture.createUser();
    const insert = TypeOrmTokenTable.prototype.insert;
    // A custom store that forgot the column: it persists and returns every token unrestricted.
    const spy = jest.spyOn(TypeOrmTokenTable.prototype, 'insert').mockImplementation(function (
      this: TypeOrmTokenTable,
      token,
    ) {
      return insert.call(this, { ...token, scopes: null });
    });
    try {
      await expect(tokens.issue(user, { client: 'cli', scopes: ['orders:read'] })).rejects.toThrow(
        /did not keep the scopes/,
      );
      expect(await rows()).toHaveLength(0);
    } finally {
      spy.mockRestore();
    }
    const { record } = await tokens.issue(user, { client: 'cli', scopes: ['orders:read'] });
    expect((await rows()).map((row) => [row.id, row.scopes])).toEqual([[record.id, ['orders:read']]]);
  });

  it('honours a TTL override, including null for never', async () => {
    await start();
    const user = await fixture.createUser();
    expect((await tokens.issue(user, { client: 'web', ttl: null })).record.expiresAt).toBeNull();
    expect((await tokens.issue(user.id, { client: 'api' })).record.expiresAt).toBeNull();
  });

  it('refuses a bad TTL or name from a direct call', async () => {
    await start();
    const user = await fixture.createUser();
    for (const ttl of [0, -1, Number.NaN, Infinity, '60' as unknown as number]) {
      await expect(tokens.issue(user, { client: 'web', ttl })).rejects.toBeInstanceOf(ValidationFailedException);
    }
    for (const name of ['x'.repeat(101), '   ', 'a\u0000b', 'evil\u202etxt.exe', 'zero\u200bwidth']) {
      await expect(tokens.issue(user, { client: 'web', name })).rejects.toBeInstanceOf(ValidationFailedException);
    }
    // Characters are code points: 100 emoji are 100 characters (200 UTF-16 units), and fit.
    await tokens.issue(user, { client: 'web', name: '🔑'.repeat(100) });
    expect(await rows()).toHaveLength(1);
    await tokenRows.clear();
    expect(await rows()).toHaveLength(0);
  });

  it('refuses unknown clients and duplicate names', async () => {
    await start();
    const user = await fixture.createUser();
    await expect(tokens.issue(user, { client: 'nope' })).rejects.toBeInstanceOf(UnknownClientException);
    await tokens.issue(user, { client: 'web', name: 'ci' });
    await expect(tokens.issue(user, { client: 'api', name: 'ci' })).rejects.toBeInstanceOf(TokenNameTakenException);
    const other = await fixture.createUser();
    await expect(tokens.issue(other, { client: 'web', name: 'ci' })).resolves.toBeDefined();
  });

  it('frees the name of an expired token', async () => {
    await start();
    const user = await fixture.createUser();
    await tokens.issue(user, { client: 'web', name: 'ci' });
    clock.advance(3600_001);
    await expect(tokens.issue(user, { client: 'web', name: 'ci' })).resolves.toBeDefined();
    expect(await rows()).toHaveLength(1);
  });

  it('revoke-oldest: a client limit of 2 keeps the two newest tokens', async () => {
    await start({
      clients: [
        { name: 'web', tokenTtl: 3600, maxTokensPerUser: 2 },
        { name: 'api', tokenTtl: null },
      ],
    });
    const user = await fixture.createUser();
    const issued = [];
    for (let i = 0; i < 4; i++) {
      issued.push((await tokens.issue(user, { client: 'web' })).record.id);
      clock.advance(1000);
    }
    await tokens.issue(user, { client: 'api' });
    expect((await rows()).map((row) => row.id)).toEqual([issued[2], issued[3], expect.any(String)]);
  });

  it('reject: a full client answers 403 and leaves the tokens alone; expired tokens do not count', async () => {
    await start({
      clients: [
        { name: 'web', tokenTtl: 3600, maxTokensPerUser: 1 },
        { name: 'api', tokenTtl: null },
      ],
      tokenLimitPolicy: 'reject',
    });
    const user = await fixture.createUser();
    const first = await tokens.issue(user, { client: 'web' });
    await expect(tokens.issue(user, { client: 'web' })).rejects.toBeInstanceOf(TokenLimitExceededException);
    expect((await rows()).map((row) => row.id)).toEqual([first.record.id]);
    clock.advance(3600_001);
    await expect(tokens.issue(user, { client: 'web' })).resolves.toBeDefined();
  });

  it('tokenLimitPerUser spans clients but leaves API keys out', async () => {
    await start({ tokenLimitPerUser: 2 });
    const user = await fixture.createUser();
    const key = await tokens.issue(user, { client: 'api', name: 'ci' });
    const ids = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      ids.push((await tokens.issue(user, { client: 'web' })).record.id);
    }
    expect((await rows()).map((row) => row.id).sort()).toEqual([key.record.id, ids[1], ids[2]].sort());
  });

  it('holds a limit of 1 under 50 concurrent issues', async () => {
    await start({
      clients: [
        { name: 'web', tokenTtl: 3600, maxTokensPerUser: 1 },
        { name: 'api', tokenTtl: null },
      ],
    });
    const user = await fixture.createUser();
    const results = await Promise.all(Array.from({ length: 50 }, () => tokens.issue(user, { client: 'web' })));
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(results.map((result) => result.record.id)).toContain(stored[0].id);
  });

  if (kind === 'PostgreSQL') {
    it('holds a limit of 1 across four app instances issuing at once (row lock, not the in-process queue)', async () => {
      const url = await database();
      const limited = {
        clients: [
          { name: 'web', tokenTtl: 3600, maxTokensPerUser: 1 },
          { name: 'api', tokenTtl: null },
        ],
      };
      fixture = await setup(limited, { postgresUrl: url });
      const others = await Promise.all([1, 2, 3].map(() => setup(limited, { postgresUrl: url })));
      try {
        const user = await fixture.createUser();
        const services = [fixture, ...others].map((instance) => instance.module.get(TokenService));
        for (let round = 0; round < 5; round++) {
          await Promise.all(Array.from({ length: 40 }, (_, i) => services[i % 4].issue(user, { client: 'web' })));
          expect(await fixture.tokens.count()).toBe(1);
        }
      } finally {
        await Promise.all(others.map((instance) => instance.close()));
      }
    });
  }

  it('renew refuses a token revoked since it was read (401), and never brings it back', async () => {
    await start();
    const user = await fixture.createUser();
    const { record } = await tokens.issue(user, { client: 'web' });
    await tokens.revoke(user.id, record.id);
    await expect(tokens.renew(record)).rejects.toBeInstanceOf(InvalidTokenException);
    expect(await rows()).toEqual([]);
  });

  it('renews to now + client TTL, and leaves a TTL-less client alone', async () => {
    await start();
    const user = await fixture.createUser();
    const { record } = await tokens.issue(user, { client: 'web' });
    clock.advance(1800_000);
    const renewed = await tokens.renew(record);
    expect(renewed?.getTime()).toBe(clock.now().getTime() + 3600_000);
    expect((await rows())[0].expiresAt?.getTime()).toBe(renewed?.getTime());
    const key = await tokens.issue(user, { client: 'api', ttl: 60 });
    expect(await tokens.renew(key.record)).toEqual(key.record.expiresAt);
  });

  it('revokes one token of its owner only, or all but one, or all but API keys', async () => {
    await start();
    const alice = await fixture.createUser();
    const bob = await fixture.createUser();
    const a1 = await tokens.issue(alice, { client: 'web' });
    const a2 = await tokens.issue(alice, { client: 'web' });
    const key = await tokens.issue(alice, { client: 'api', name: 'ci' });
    const b1 = await tokens.issue(bob, { client: 'web' });
    expect(await tokens.revoke(bob.id, a1.record.id)).toBe(false);
    expect(await tokens.revoke(alice.id, a1.record.id)).toBe(true);
    expect(await tokens.revokeAll(alice.id, { keepApiKeys: true })).toBe(1);
    expect((await tokens.list(alice.id)).map((t) => t.id)).toEqual([key.record.id]);
    await tokens.issue(alice, { client: 'web' });
    expect(await tokens.revokeAll(alice.id, { exceptTokenId: key.record.id })).toBe(1);
    expect(await tokens.revokeAll(alice.id)).toBe(1);
    expect((await rows()).map((row) => row.id)).toEqual([b1.record.id]);
    expect(a2).toBeDefined();
  });

  it('purgeExpired deletes the expired tokens of every user and nothing else', async () => {
    await start();
    const alice = await fixture.createUser();
    const bob = await fixture.createUser();
    await tokens.issue(alice, { client: 'web', ttl: 10 });
    await tokens.issue(bob, { client: 'web', ttl: 10 });
    const lasting = await tokens.issue(bob, { client: 'api' });
    const later = await tokens.issue(alice, { client: 'web', ttl: 60 });
    clock.advance(10_000);
    expect(await tokens.purgeExpired()).toBe(2);
    expect((await rows()).map((row) => row.id).sort()).toEqual([lasting.record.id, later.record.id].sort());
  });

  it('purgeExpired works in bounded batches until none is left, one statement each', async () => {
    await start();
    const user = await fixture.createUser();
    for (let i = 0; i < 7; i++) await tokens.issue(user, { client: 'web', ttl: 10 });
    const lasting = await tokens.issue(user, { client: 'api' });
    clock.advance(10_000);
    const store = fixture.module.get<TokenStore>(TokenStore);
    const batches = jest.spyOn(store, 'purgeExpired');
    expect(await tokens.purgeExpired({ batchSize: 3 })).toBe(7);
    // 3 + 3 + 1: the short batch says the table holds no more.
    expect(batches.mock.calls.map((call) => call[2])).toEqual([3, 3, 3]);
    expect((await rows()).map((row) => row.id)).toEqual([lasting.record.id]);
    await expect(tokens.purgeExpired({ batchSize: 0 })).rejects.toBeInstanceOf(ValidationFailedException);
    await expect(tokens.purgeExpired({ olderThan: -1 })).rejects.toBeInstanceOf(ValidationFailedException);
    await expect(tokens.purgeExpired({ olderThan: 1e13 })).rejects.toBeInstanceOf(ValidationFailedException);
    await expect(tokens.purgeExpired({ batchSize: 10_001 })).rejects.toBeInstanceOf(ValidationFailedException);
  });

  it('purge.retention keeps expired tokens that long (refused all the same); olderThan overrides it', async () => {
    await start({ purge: { retention: 3600 } });
    const user = await fixture.createUser();
    const old = await tokens.issue(user, { client: 'web', ttl: 10 });
    clock.advance(1800_000);
    expect(await tokens.purgeExpired()).toBe(0);
    // An issue's own clean-up keeps them too.
    const fresh = await tokens.issue(user, { client: 'web', ttl: 10 });
    expect((await rows()).map((row) => row.id)).toEqual([old.record.id, fresh.record.id]);
    clock.advance(1810_000); // `old` expired 3600 s ago, `fresh` 1800 s ago
    expect(await tokens.purgeExpired()).toBe(1);
    expect((await rows()).map((row) => row.id)).toEqual([fresh.record.id]);
    expect(await tokens.purgeExpired({ olderThan: 0 })).toBe(1);
    expect(await rows()).toEqual([]);
  });

  it('lists unexpired tokens newest first with their clients', async () => {
    await start();
    const user = await fixture.createUser();
    const old = await tokens.issue(user, { client: 'web', ttl: 10 });
    clock.advance(1000);
    const a = await tokens.issue(user, { client: 'web' });
    clock.advance(1000);
    const b = await tokens.issue(user, { client: 'api' });
    clock.advance(9000);
    const listed = await tokens.list(user.id);
    expect(listed.map((t) => [t.id, t.client.name])).toEqual([
      [b.record.id, 'api'],
      [a.record.id, 'web'],
    ]);
    expect(listed.map((t) => t.id)).not.toContain(old.record.id);
  });
});
