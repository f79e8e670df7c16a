import { ManualClock } from '../../contracts/clock/manual.clock';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TestUser } from '../../testing/test-user.entity';
import { LastUsedTracker } from './last-used.tracker';
import { TokenService } from './token.service';

const HOUR = 3_600_000;

/**
 * "An API key is never lengthened": a key keeps the expiry its creation gave it, whatever renews,
 * uses or client settings come after. The key client here has a TTL, so that lengthening a key
 * would be possible if any path allowed it.
 */
describe.each(DATABASES)('an API key keeps the lifetime it was created with, on %s', (kind) => {
  const database = useDatabase(kind);
  let fixture: Fixture;
  let clock: ManualClock;
  let tokens: TokenService;

  async function start() {
    clock = new ManualClock();
    fixture = await setup(
      {
        clock,
        lastUsedUpdateInterval: 60,
        clients: [
          { name: 'web', tokenTtl: HOUR / 1000 },
          { name: 'api', tokenTtl: HOUR / 1000 },
        ],
      },
      { postgresUrl: await database() },
    );
    tokens = fixture.module.get(TokenService);
  }
  afterEach(() => fixture?.close());
  const stored = async (id: string) => (await fixture.tokens.findOneByOrFail({ id })).expiresAt?.toISOString();

  it("renew returns and stores the key's own expiry, half an hour into a one-hour key", async () => {
    await start();
    const user = await fixture.createUser();
    const { record } = await tokens.issue(user, { client: 'api', name: 'ci' });
    const created = new Date(clock.now().getTime() + HOUR).toISOString();
    clock.advance(HOUR / 2);
    expect((await tokens.renew(record))?.toISOString()).toBe(created);
    expect(await stored(record.id)).toBe(created);
    // A session of a client with the same TTL does move: the difference is the key, not the TTL.
    const session = await tokens.issue(user, { client: 'web' });
    clock.advance(HOUR / 2);
    expect((await tokens.renew(session.record))?.getTime()).toBe(clock.now().getTime() + HOUR);
  });

  it('renew does not move a key made with a lifetime of its own (expiresInDays), up or down', async () => {
    await start();
    const user = await fixture.createUser();
    const { record } = await tokens.issue(user, { client: 'api', name: 'deploy', ttl: 86_400 });
    const own = new Date(clock.now().getTime() + 24 * HOUR).toISOString();
    clock.advance(HOUR);
    expect((await tokens.renew(record))?.toISOString()).toBe(own);
    expect(await stored(record.id)).toBe(own);
  });

  it('a use records lastUsedAt and leaves expiresAt', async () => {
    await start();
    const user = await fixture.createUser();
    const { record } = await tokens.issue(user, { client: 'api', name: 'ci' });
    const expiry = record.expiresAt?.toISOString();
    record.client = tokens.requireClient('api');
    clock.advance(HOUR / 2);
    await fixture.module.get(LastUsedTracker).seen(record);
    const row = await fixture.tokens.findOneByOrFail({ id: record.id });
    expect([row.lastUsedAt?.toISOString(), row.expiresAt?.toISOString()]).toEqual([clock.now().toISOString(), expiry]);
  });
});

describe('the API-key client and sliding expiry', () => {
  it('an idle timeout on it (which would slide keys on every use) stops the module at start-up', async () => {
    await expect(
      setup({
        user: { entity: TestUser },
        clients: [{ name: 'web' }, { name: 'api', tokenTtl: 3600, idleTimeout: 600 }],
      }),
    ).rejects.toThrow(
      'Client "api" holds API keys, which keep the lifetime they are created with: remove its idleTimeout.',
    );
  });
});
