import { DataSource } from 'typeorm';
import { isStoreOutage } from '../../contracts/errors/store-outage';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TokenCodec } from '../../pure/tokens/token.codec';
import { TokenService } from '../../services/tokens/token.service';
import { TypeOrmTokenStore } from './typeorm-token.store';
import { TokenStore } from '../../contracts/token-store.interface';

describe.each(DATABASES)('the lookup by digest on the driver underneath TypeORM (%s)', (kind) => {
  const database = useDatabase(kind);
  let fixture: Fixture;
  let store: TypeOrmTokenStore;
  let digestOf: (token: string) => string;

  beforeEach(async () => {
    fixture = await setup({ cache: false }, { postgresUrl: await database() });
    store = fixture.module.get<TypeOrmTokenStore>(TokenStore);
    const codec = fixture.module.get(TokenCodec);
    digestOf = (token) => codec.digest(token);
  });
  afterEach(() => fixture?.close());

  it('answers concurrent lookups each with its own token, typed as TypeORM types it, and null for an unknown digest', async () => {
    const [alice, bob] = [await fixture.createUser('alice'), await fixture.createUser('bob')];
    const tokens = fixture.module.get(TokenService);
    const a = await tokens.issue(alice, { client: 'web' });
    const b = await tokens.issue(bob, { client: 'api', name: 'ci' });
    const digests = [digestOf(a.token), digestOf(b.token), 'f'.repeat(64), digestOf(a.token)];
    const found = await Promise.all(digests.map((digest) => store.findByDigest(digest)));
    expect(found.map((token) => token?.id ?? null)).toEqual([a.record.id, b.record.id, null, a.record.id]);
    const [first, second] = found;
    expect(first?.user).toMatchObject({ id: alice.id, username: 'alice', isActive: true });
    expect(second?.user).toMatchObject({ id: bob.id, username: 'bob' });
    expect(second).toMatchObject({ name: 'ci', expiresAt: null, digest: digests[1], userId: bob.id });
    expect(first?.createdAt).toBeInstanceOf(Date);
    expect(first?.expiresAt?.getTime()).toBe(a.record.expiresAt?.getTime());
    // The stored row, read through TypeORM, is what the lookup hydrated.
    const row = await fixture.tokens.findOneByOrFail({ id: a.record.id });
    expect(first?.createdAt.getTime()).toBe(row.createdAt.getTime());
  });

  if (kind === 'PostgreSQL') {
    it('on PostgreSQL, lookups made while one is out share one named statement', async () => {
      const user = await fixture.createUser();
      const tokens = fixture.module.get(TokenService);
      const issued = await Promise.all([1, 2, 3, 4, 5].map(() => tokens.issue(user, { client: 'api' })));
      const pool = (fixture.module.get(DataSource).driver as unknown as { master: { query: jest.Func } }).master;
      const query = jest.spyOn(pool, 'query');
      const found = await Promise.all(issued.map(({ token }) => store.findByDigest(digestOf(token))));
      expect(found.map((token) => token?.id)).toEqual(issued.map(({ record }) => record.id));
      // The first alone, the four that came while it was out together.
      expect(query).toHaveBeenCalledTimes(2);
      expect(query.mock.calls[1]?.[0]).toMatchObject({
        name: expect.stringMatching(/^mta_digest_/),
        values: [expect.any(Array)],
      });
      expect((query.mock.calls[1]?.[0] as { values: string[][] }).values[0]).toHaveLength(4);
    });
  }

  it('a lookup on a closed data source is an outage (503), not a crash', async () => {
    expect(await store.findByDigest('e'.repeat(64))).toBeNull(); // prepared on the open connection
    await fixture.module.get(DataSource).destroy();
    const failure: unknown = await store.findByDigest('f'.repeat(64)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(isStoreOutage(failure)).toBe(true);
  });
});
