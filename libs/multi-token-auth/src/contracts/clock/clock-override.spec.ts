import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule, getRepositoryToken } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { LoginAttemptStore } from '../login-attempt-store.interface';
import { authTokenEntityFor } from '../entities/auth-entities.factory';
import { InvalidTokenException } from '../errors/auth.exceptions';
import { AuthEventName } from '../events/auth-event.names';
import type { TokenCreatedEvent } from '../events/auth-event.payloads';
import { MultiTokenAuthModule } from '../../multi-token-auth.module';
import { testDatabase, testHasher } from '../../testing/setup.fixture';
import { TestUser } from '../../testing/test-user.entity';
import { LastUsedTracker } from '../../services/tokens/last-used.tracker';
import { TokenService } from '../../services/tokens/token.service';
import { TokenVerifier } from '../../services/tokens/token.verifier';
import { Clock } from './clock.interface';
import { ManualClock } from './manual.clock';

const HOUR = 3_600_000;

/**
 * An app's test replaces the clock the Nest way, `overrideProvider(Clock).useValue(clock)`, with no
 * `clock` option: every service reads the `Clock` token, so the override reaches all of them.
 */
describe('overrideProvider(Clock) in an app whose options name no clock', () => {
  const start = new Date('2026-03-01T08:00:00.000Z');
  let clock: ManualClock;
  let module: TestingModule;
  const created: TokenCreatedEvent[] = [];

  beforeEach(async () => {
    clock = new ManualClock(start);
    created.length = 0;
    module = await Test.createTestingModule({
      imports: [
        testDatabase(),
        TypeOrmModule.forFeature([TestUser]),
        MultiTokenAuthModule.forRoot({
          user: { entity: TestUser },
          passwordHasher: testHasher,
          clients: [{ name: 'web', tokenTtl: 3600 }],
          apiKeyClient: null,
          mountControllers: false,
          eventSink: {
            emit: (name, payload) => {
              if (name === AuthEventName.TokenCreated) created.push(payload as TokenCreatedEvent);
            },
          },
        }),
      ],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    await module.init();
  });
  afterEach(() => module.close());

  async function alice(): Promise<TestUser> {
    const users = module.get<Repository<TestUser>>(getRepositoryToken(TestUser));
    return users.save(users.create({ username: 'alice', passwordHash: 'unused', isActive: true }));
  }

  it('is the clock every consumer of the token gets', () => {
    expect(module.get(Clock)).toBe(clock);
  });

  it('dates what TokenService issues and the event it emits, and ends the token for the verifier (cache on)', async () => {
    const { token, record } = await module.get(TokenService).issue(await alice(), { client: 'web' });
    expect(record.createdAt).toEqual(start);
    expect(record.expiresAt).toEqual(new Date(start.getTime() + HOUR));
    expect(created.map((event) => event.at)).toEqual([start]);

    const verifier = module.get(TokenVerifier);
    clock.advance(HOUR - 1);
    expect((await verifier.verify(token)).token.id).toBe(record.id); // now cached
    clock.advance(1);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenException);
  });

  it('stamps lastUsedAt', async () => {
    const { record } = await module.get(TokenService).issue(await alice(), { client: 'web' });
    clock.advance(HOUR / 2); // within its hour: an expired token is never written
    await module.get(LastUsedTracker).seen(record);
    const rows = module.get(DataSource).getRepository(authTokenEntityFor(TestUser));
    expect((await rows.findOneByOrFail({ id: record.id })).lastUsedAt).toEqual(new Date(start.getTime() + HOUR / 2));
  });

  it('ends the windows of the in-memory login attempt counters', async () => {
    const attempts = module.get<LoginAttemptStore>(LoginAttemptStore);
    await attempts.hit('ip:192.0.2.1', 60_000);
    expect(await attempts.hit('ip:192.0.2.1', 60_000)).toEqual({ count: 2, resetInMs: 60_000 });
    clock.advance(60_000);
    expect(await attempts.hit('ip:192.0.2.1', 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
  });
});
