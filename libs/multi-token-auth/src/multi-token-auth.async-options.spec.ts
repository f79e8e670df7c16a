import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AllowClients } from './pure/decorators/allow-clients.decorator';
import { CurrentUser } from './pure/decorators/current-user.decorator';
import { MultiTokenAuthModule } from './multi-token-auth.module';
import type { MultiTokenAuthExtras, MultiTokenAuthOptions } from './contracts/multi-token-auth.options';
import { testDatabase, testHasher } from './testing/setup.fixture';
import { TestUser } from './testing/test-user.entity';

/** No @UseGuards: only a global guard protects these. */
@Controller()
class AppController {
  @Get('me')
  me(@CurrentUser() user: TestUser) {
    return { username: user.username };
  }

  @AllowClients('web')
  @Get('web-only')
  webOnly() {
    return { ok: true };
  }
}

const OPTIONS: MultiTokenAuthOptions = {
  user: { entity: TestUser },
  passwordHasher: testHasher,
  clients: [{ name: 'web' }, { name: 'mobile' }, { name: 'api', tokenTtl: null }],
};

/** Options from a factory (as from ConfigService), module-shape settings given by `extras`. */
async function startAsync(factoryResult: object, extras: MultiTokenAuthExtras = {}): Promise<INestApplication> {
  const module = await Test.createTestingModule({
    imports: [
      testDatabase(),
      MultiTokenAuthModule.forRootAsync({ useFactory: () => factoryResult as MultiTokenAuthOptions, ...extras }),
    ],
    controllers: [AppController],
  }).compile();
  const app = module.createNestApplication();
  await app.init();
  const users = app.get(DataSource).getRepository(TestUser);
  await users.save(users.create({ username: 'alice', passwordHash: await testHasher.hash('password123') }));
  return app;
}

async function login(app: INestApplication, client: string, path = '/auth/login'): Promise<string> {
  const res = await request(app.getHttpServer())
    .post(path)
    .send({ username: 'alice', password: 'password123', client })
    .expect(201);
  return (res.body as { token: string }).token;
}

describe('MultiTokenAuthModule.forRootAsync: module-shape settings', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each<[keyof MultiTokenAuthExtras, unknown]>([
    ['globalGuard', true],
    ['routePrefix', 'api/auth'],
    ['mountControllers', false],
    ['isGlobal', false],
  ])('%s returned by the factory fails at start-up, saying it goes beside useFactory', async (name, value) => {
    await expect(startAsync({ ...OPTIONS, [name]: value })).rejects.toThrow(
      `multi-token-auth: ${name} was returned by the forRootAsync() factory, where it cannot take effect: ` +
        "the module's routes, controllers and global guard are fixed before any factory runs. " +
        `Pass it beside useFactory: MultiTokenAuthModule.forRootAsync({ useFactory, inject, ${name}: … }).`,
    );
  });

  it('globalGuard and routePrefix beside useFactory take effect: routes guarded, clients checked, login moved', async () => {
    app = await startAsync(OPTIONS, { globalGuard: true, routePrefix: 'api/auth' });
    const http = () => request(app!.getHttpServer());
    const missing = await http().get('/me').expect(401);
    expect(missing.body).toMatchObject({ statusCode: 401, code: 'missing_token' });
    await http().post('/auth/login').send({}).expect(404);
    const mobile = await login(app, 'mobile', '/api/auth/login');
    expect((await http().get('/me').set('Authorization', `Bearer ${mobile}`).expect(200)).body).toEqual({
      username: 'alice',
    });
    const refused = await http().get('/web-only').set('Authorization', `Bearer ${mobile}`).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'client_not_allowed' });
    const web = await login(app, 'web', '/api/auth/login');
    await http().get('/web-only').set('Authorization', `Bearer ${web}`).expect(200);
  });

  it('an option put beside useFactory instead of returned by it is refused, not ignored', () => {
    expect(() =>
      MultiTokenAuthModule.forRootAsync({ useFactory: () => OPTIONS, ...({ tokenPrefix: 'acme' } as object) }),
    ).toThrow(
      'multi-token-auth: forRootAsync() got "tokenPrefix" beside useFactory, where only imports, inject, useFactory, ' +
        'useClass, useExisting, provideInjectionTokensFrom and the module-shape settings isGlobal, routePrefix, ' +
        'mountControllers, globalGuard are read. Return options such as tokenPrefix from useFactory',
    );
  });

  it('a module-shape setting of the wrong type fails, naming it', () => {
    expect(() => MultiTokenAuthModule.forRoot({ ...OPTIONS, globalGuard: 'yes' as unknown as boolean })).toThrow(
      'multi-token-auth: globalGuard must be true or false, got "yes".',
    );
    expect(() => MultiTokenAuthModule.forRootAsync({ useFactory: () => OPTIONS, routePrefix: 'users/:id' })).toThrow(
      'multi-token-auth: routePrefix must be a path such as "auth" or "api/session"',
    );
  });

  it('forRoot: a module-shape setting set to undefined means its default (controllers mounted, module global)', async () => {
    const module = await Test.createTestingModule({
      imports: [
        testDatabase(),
        MultiTokenAuthModule.forRoot({
          ...OPTIONS,
          mountControllers: undefined,
          isGlobal: undefined,
          routePrefix: undefined,
        }),
      ],
    }).compile();
    app = module.createNestApplication();
    await app.init();
    const res = await request(app.getHttpServer()).post('/auth/login').send({}).expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    const definition = MultiTokenAuthModule.forRoot({ ...OPTIONS, isGlobal: undefined, mountControllers: undefined });
    expect(definition.global).toBe(true);
    expect(definition.controllers).toHaveLength(7);
  });
});
