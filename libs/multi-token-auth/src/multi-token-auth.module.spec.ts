import { jest } from '@jest/globals';
import { Controller, Get, Injectable, Module, UseGuards, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ClientRateLimit } from './pure/decorators/client-rate-limit.decorator';
import { Public } from './pure/decorators/public.decorator';
import { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
import { TokenStore } from './contracts/token-store.interface';
import { MultiTokenAuthModule } from './multi-token-auth.module';
import { TestUser } from './testing/test-user.entity';
import { DATABASES, useDatabase } from './testing/databases';
import { setup, testDatabase, testHasher, type Fixture } from './testing/setup.fixture';
import { TokenService } from './services/tokens/token.service';
import { ManualClock } from './contracts/clock/manual.clock';

@Controller('twice')
@UseGuards(MultiTokenAuthGuard)
class DoublyGuardedController {
  @ClientRateLimit()
  @Get()
  limited() {
    return { ok: true };
  }
}

@Controller()
class OpenAndClosedController {
  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @Get('closed')
  closed() {
    return { closed: true };
  }
}

async function login(app: INestApplication, path = '/auth/login', client = 'web'): Promise<string> {
  const res = await request(app.getHttpServer())
    .post(path)
    .send({ username: 'alice', password: 'password123', client })
    .expect(201);
  return (res.body as { token: string }).token;
}

describe('MultiTokenAuthModule', () => {
  let fixture: Fixture | undefined;
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    await fixture?.close();
    app = undefined;
    fixture = undefined;
  });

  async function start(options: Parameters<typeof setup>[0], controllers: Parameters<typeof setup>[1] = {}) {
    fixture = await setup(options, controllers);
    app = fixture.module.createNestApplication();
    await app.init();
    await fixture.createUser('alice');
    return app;
  }

  it('mounts the built-in controllers under routePrefix', async () => {
    const server = await start({ mountControllers: true, routePrefix: 'api/session' });
    const token = await login(server, '/api/session/login');
    await request(server.getHttpServer())
      .get('/api/session/sessions')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    await request(server.getHttpServer()).post('/auth/login').send({}).expect(404);
  });

  it('answers a bad body with 400 validation_failed through its own pipe (no global pipe here)', async () => {
    const server = await start({ mountControllers: true });
    const res = await request(server.getHttpServer()).post('/auth/login').send({ username: 42 }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'validation_failed' });
    expect(res.body).toHaveProperty('message', expect.arrayContaining(['username must be a string']));
  });

  it('mountControllers: false mounts none of them', async () => {
    const server = await start({ mountControllers: false });
    await request(server.getHttpServer()).post('/auth/login').send({}).expect(404);
  });

  it('globalGuard: every route needs a token except @Public() ones', async () => {
    const server = await start(
      { mountControllers: true, globalGuard: true },
      { controllers: [OpenAndClosedController] },
    );
    await request(server.getHttpServer()).get('/open').expect(200);
    await request(server.getHttpServer()).get('/closed').expect(401);
    const token = await login(server);
    await request(server.getHttpServer()).get('/closed').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('a global guard plus @UseGuards on the controller verifies and counts a request once', async () => {
    const server = await start(
      { mountControllers: true, globalGuard: true, defaultThrottleRate: '5/m' },
      { controllers: [DoublyGuardedController] },
    );
    const token = await login(server);
    const lookups = jest.spyOn(fixture!.module.get<TokenStore>(TokenStore), 'findByDigest');
    const res = await request(server.getHttpServer()).get('/twice').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('4');
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('logoutAllRevokesApiKeys: false keeps API keys through logout-all', async () => {
    const server = await start({ mountControllers: true, logoutAllRevokesApiKeys: false });
    const token = await login(server);
    const key = await request(server.getHttpServer())
      .post('/auth/api-keys')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'ci', password: 'password123' })
      .expect(201);
    await request(server.getHttpServer()).post('/auth/logout-all').set('Authorization', `Bearer ${token}`).expect(204);
    const keyToken = (key.body as { token: string }).token;
    await request(server.getHttpServer()).post('/auth/refresh').set('Authorization', `Bearer ${keyToken}`).expect(200);
    await request(server.getHttpServer()).get('/auth/sessions').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('recentLoginWindow: a session younger than the window creates a key without the password, an older one needs it', async () => {
    const clock = new ManualClock();
    const server = await start({ mountControllers: true, recentLoginWindow: 300, clock });
    const token = await login(server);
    const create = (name: string) =>
      request(server.getHttpServer()).post('/auth/api-keys').set('Authorization', `Bearer ${token}`).send({ name });
    await create('fresh').expect(201);
    clock.advance(300_001);
    const res = await create('stale').expect(400);
    expect(res.body).toMatchObject({ code: 'password_required' });
  });

  it('recentLoginWindow: a freshly imported legacy token is not a recent sign-in, so a key needs the password', async () => {
    const clock = new ManualClock();
    const server = await start({
      mountControllers: true,
      recentLoginWindow: 300,
      clock,
      clients: [{ name: 'web' }, { name: 'api', tokenTtl: null }, { name: 'legacy', tokenTtl: null }],
      legacyTokens: { format: { alphabet: /[0-9a-f]/, length: 40 }, client: 'legacy' },
    });
    if (!fixture) throw new Error('the module did not start');
    const alice = await fixture.users.findOneByOrFail({ username: 'alice' });
    const key = 'e'.repeat(40);
    await fixture.module.get(TokenService).importLegacyTokens([{ username: 'alice', userId: alice.id, key }]);
    const res = await request(server.getHttpServer())
      .post('/auth/api-keys')
      .set('Authorization', `Bearer ${key}`)
      .send({ name: 'from-legacy' })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'password_required' });
  });

  it('refresh never lengthens an API key, even when the API-key client has a TTL', async () => {
    const clock = new ManualClock();
    const server = await start({
      mountControllers: true,
      clock,
      clients: [{ name: 'web' }, { name: 'api', tokenTtl: 3600 }],
    });
    const token = await login(server);
    const key = await request(server.getHttpServer())
      .post('/auth/api-keys')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'ci', password: 'password123' })
      .expect(201);
    const { token: keyToken, expiresAt } = key.body as { token: string; expiresAt: string };
    clock.advance(1800_000);
    const refreshed = await request(server.getHttpServer())
      .post('/auth/refresh')
      .set('Authorization', `Bearer ${keyToken}`)
      .expect(200);
    expect(refreshed.body).toEqual({ expiresAt, scopes: null });
  });

  it('apiKeyClient: null answers 404 on the API-key routes', async () => {
    const server = await start({ mountControllers: true, apiKeyClient: null });
    const token = await login(server);
    const res = await request(server.getHttpServer())
      .get('/auth/api-keys')
      .set('Authorization', `Bearer ${token}`)
      .expect(404);
    expect((res.body as { message: string }).message).toBe('API keys are disabled.');
  });

  it('answers 503, with a short body, when the database goes away', async () => {
    const server = await start({ mountControllers: true });
    const token = await login(server);
    await fixture?.module.get(DataSource).destroy();
    const res = await request(server.getHttpServer())
      .post('/auth/login')
      .send({ username: 'alice', password: 'password123', client: 'web' })
      .expect(503);
    expect(res.body).toEqual({
      statusCode: 503,
      message: 'Authentication is temporarily unavailable.',
      error: 'Service Unavailable',
      code: 'auth_unavailable',
    });
    await request(server.getHttpServer()).get('/auth/sessions').set('Authorization', `Bearer ${token}`).expect(503);
  });

  it('forRootAsync takes imports, inject and a factory', async () => {
    @Injectable()
    class AuthSettings {
      readonly ttl = 120;
    }
    @Module({ providers: [AuthSettings], exports: [AuthSettings] })
    class SettingsModule {}

    const module = await Test.createTestingModule({
      imports: [
        testDatabase(),
        MultiTokenAuthModule.forRootAsync({
          imports: [SettingsModule],
          inject: [AuthSettings],
          useFactory: (settings: AuthSettings) => ({
            user: { entity: TestUser },
            passwordHasher: testHasher,
            clients: [{ name: 'web', tokenTtl: settings.ttl }],
            apiKeyClient: null,
          }),
          mountControllers: false,
        }),
      ],
    }).compile();
    await module.init();
    const users = module.get(DataSource).getRepository(TestUser);
    const user = await users.save(users.create({ username: 'alice', passwordHash: 'x', isActive: true }));
    const issued = await module.get(TokenService).issue(user, { client: 'web' });
    expect(issued.record.expiresAt?.getTime()).toBeCloseTo(Date.now() + 120_000, -3);
    await module.close();
  });

  it('fails at start-up, naming the fix, when the token entity is not registered', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: [TestUser] }),
        MultiTokenAuthModule.forRoot({ user: { entity: TestUser }, apiKeyClient: null, clients: [{ name: 'web' }] }),
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(
      'the token entity for TestUser is not registered with TypeORM. Add ...multiTokenAuthEntities(TestUser)',
    );
  });

  it('the foreign key cascades: deleting a user deletes its tokens', async () => {
    fixture = await setup();
    const user = await fixture.createUser();
    await fixture.module.get(TokenService).issue(user, { client: 'web' });
    const dataSource = fixture.module.get(DataSource);
    const keys = await dataSource.query<{ table: string; on_delete: string }[]>(
      "SELECT * FROM pragma_foreign_key_list('auth_tokens')",
    );
    expect(keys.map((key) => [key.table, key.on_delete]).sort()).toEqual([
      ['auth_clients', 'CASCADE'],
      ['test_users', 'CASCADE'],
    ]);
    await fixture.users.delete({ id: user.id });
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM auth_tokens')).toEqual([{ n: 0 }]);
  });
});

describe.each(DATABASES)('migrations on %s', (kind) => {
  const database = useDatabase(kind);

  it('create exactly the schema the entities describe (no drift), with cascading foreign keys', async () => {
    const fixture = await setup({}, { postgresUrl: await database() });
    try {
      const dataSource = fixture.module.get(DataSource);
      const schema = await dataSource.driver.createSchemaBuilder().log();
      // Only the library's tables are its business; the test user table is the "app's".
      expect(schema.upQueries.map((query) => query.query).filter((query) => query.includes('auth_'))).toEqual([]);
      const user = await fixture.createUser();
      await fixture.module.get(TokenService).issue(user, { client: 'web' });
      await fixture.users.delete({ id: user.id });
      expect(await fixture.tokens.count()).toBe(0);
    } finally {
      await fixture.close();
    }
  });
});
