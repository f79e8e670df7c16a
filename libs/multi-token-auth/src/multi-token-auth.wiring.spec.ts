import { Body, Controller, Get, Inject, Module, Post, UseGuards, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
// Everything below comes through the public entry point, as an app would import it.
import {
  Clock,
  CredentialsVerifier,
  CurrentUser,
  ManualClock,
  MultiTokenAuthGuard,
  MultiTokenAuthModule,
  PasswordHasher,
  TokenService,
  TokenStore,
  TypeOrmTokenStore,
  type MultiTokenAuthExtras,
} from './index';
import { CachedTokenStore } from './infrastructure/cache/cached-token.store';
import { TestUser } from './testing/test-user.entity';
import { testDatabase, testHasher } from './testing/setup.fixture';

/** A controller in a feature module that does not import MultiTokenAuthModule. */
@Controller('feature')
@UseGuards(MultiTokenAuthGuard)
class FeatureController {
  @Get()
  me(@CurrentUser() user: TestUser) {
    return { id: user.id, username: user.username };
  }
}

/** A custom login flow built only from the library's exports. */
@Controller('custom')
class CustomLoginController {
  constructor(
    private readonly credentials: CredentialsVerifier,
    private readonly tokens: TokenService,
    private readonly dataSource: DataSource,
    @Inject(PasswordHasher) readonly hasher: PasswordHasher,
    @Inject(Clock) readonly clock: Clock,
  ) {}

  @Post('register')
  async register(@Body() body: { username: string; password: string }) {
    const users = this.dataSource.getRepository(TestUser);
    const user = await users.save(
      users.create({ username: body.username, passwordHash: await this.hasher.hash(body.password) }),
    );
    return { id: user.id };
  }

  @Post('login')
  async login(@Body() body: { username: string; password: string }) {
    const user = await this.credentials.check<TestUser>(body.username, body.password);
    const { token } = await this.tokens.issue(user, { client: 'web', name: `custom ${user.username}` });
    return { token };
  }
}

@Module({ controllers: [FeatureController, CustomLoginController] })
class FeatureModule {}

describe('MultiTokenAuthModule in an app with feature modules', () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(extras: MultiTokenAuthExtras = {}) {
    const module = await Test.createTestingModule({
      imports: [
        testDatabase(),
        MultiTokenAuthModule.forRoot({
          user: { entity: TestUser, isActive: (user: TestUser) => user.isActive },
          passwordHasher: testHasher,
          clock,
          clients: [{ name: 'web', tokenTtl: 3600 }],
          apiKeyClient: null,
          mountControllers: false,
          ...extras,
        }),
        FeatureModule,
      ],
    }).compile();
    app = module.createNestApplication();
    await app.init();
    return request(app.getHttpServer());
  }

  it('guards a feature module with no extra wiring, and a custom login issues working tokens', async () => {
    const http = await start();
    await http.post('/custom/register').send({ username: 'alice', password: 'password123' }).expect(201);
    const { token } = (
      await http.post('/custom/login').send({ username: 'alice', password: 'password123' }).expect(201)
    ).body as { token: string };
    await http.get('/feature').expect(401);
    const res = await http.get('/feature').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ id: 1, username: 'alice' });
  });

  it('the credential check answers a wrong password and an unknown user with the same 401', async () => {
    const http = await start();
    await http.post('/custom/register').send({ username: 'alice', password: 'password123' }).expect(201);
    const wrong = await http.post('/custom/login').send({ username: 'alice', password: 'nope' }).expect(401);
    const unknown = await http.post('/custom/login').send({ username: 'bob', password: 'nope' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ message: 'Invalid username or password.', code: 'invalid_credentials' });
  });

  it('injects the configured hasher and clock by their tokens', async () => {
    await start();
    const controller = app!.get(CustomLoginController);
    expect(controller.hasher).toBe(testHasher);
    expect(controller.clock).toBe(clock);
  });

  it('isGlobal: false makes feature modules import the module themselves', async () => {
    await expect(start({ isGlobal: false })).rejects.toThrow(/MultiTokenAuthGuard|CredentialsVerifier/);
  });
});

describe('the tokenStore option', () => {
  /** A store of the app's own: here the TypeORM one, counting the hot-path lookups. */
  class CountingStore extends TypeOrmTokenStore {
    lookups = 0;
    override findByDigest(digest: string) {
      this.lookups++;
      return super.findByDigest(digest);
    }
  }

  it('replaces the default store for issuing and verifying', async () => {
    const module = await Test.createTestingModule({
      imports: [
        testDatabase(),
        MultiTokenAuthModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            user: { entity: TestUser },
            passwordHasher: testHasher,
            clients: [{ name: 'web' }],
            apiKeyClient: null,
            tokenStore: new CountingStore(dataSource, TestUser),
          }),
          mountControllers: false,
        }),
        FeatureModule,
      ],
    }).compile();
    const app = module.createNestApplication();
    await app.init();
    try {
      const cached = app.get<TokenStore>(TokenStore);
      expect(cached).toBeInstanceOf(CachedTokenStore);
      const store = (cached as CachedTokenStore).inner;
      expect(store).toBeInstanceOf(CountingStore);
      const users = app.get(DataSource).getRepository(TestUser);
      const user = await users.save(users.create({ username: 'alice', passwordHash: 'x' }));
      const { token } = await app.get(TokenService).issue(user, { client: 'web' });
      for (let i = 0; i < 5; i++) {
        await request(app.getHttpServer()).get('/feature').set('Authorization', `Bearer ${token}`).expect(200);
      }
      expect((store as CountingStore).lookups).toBe(1); // then the cache answered
    } finally {
      await app.close();
    }
  });
});
