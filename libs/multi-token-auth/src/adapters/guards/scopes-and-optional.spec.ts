import { Controller, Get, type INestApplication, type Type, UseGuards } from '@nestjs/common';
import request from 'supertest';
import { ManualClock } from '../../contracts/clock/manual.clock';
import { AllowClients } from '../../pure/decorators/allow-clients.decorator';
import { ClientRateLimit } from '../../pure/decorators/client-rate-limit.decorator';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import { OptionalAuth } from '../../pure/decorators/optional-auth.decorator';
import { RequireAnyScope, RequireScopes } from '../../pure/decorators/require-scopes.decorator';
import { createPlatformApp, type HttpPlatform } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import type { TestUser } from '../../testing/test-user.entity';
import { TokenService } from '../../services/tokens/token.service';
import { MultiTokenAuthGuard } from './multi-token-auth.guard';
import { PassportBearerAuthGuard } from './passport-bearer-auth.guard';

function scopedController(guard: Type) {
  @Controller('reports')
  @UseGuards(guard)
  @RequireScopes('reports:read')
  class ReportsController {
    @Get()
    read() {
      return { ok: true };
    }

    @RequireScopes('reports:export') // adds to the controller's: both are needed
    @Get('export')
    exportAll() {
      return { ok: true };
    }

    @RequireAnyScope('reports:admin', 'reports:audit')
    @Get('audit')
    audit() {
      return { ok: true };
    }

    @AllowClients('api')
    @RequireScopes('reports:keys')
    @Get('api-only')
    apiOnly() {
      return { ok: true };
    }

    @ClientRateLimit()
    @RequireScopes('reports:hot')
    @Get('hot')
    hot() {
      return { ok: true };
    }
  }

  @Controller('hello')
  @UseGuards(guard)
  class HelloController {
    @OptionalAuth()
    @Get()
    hello(@CurrentUser() user: TestUser | undefined) {
      return { user: user?.username ?? null };
    }

    @OptionalAuth()
    @RequireScopes('hello:vip')
    @Get('vip')
    vip(@CurrentUser() user: TestUser | undefined) {
      return { user: user?.username ?? null };
    }
  }
  return [ReportsController, HelloController];
}

describe.each<[string, Type, HttpPlatform]>([
  ['MultiTokenAuthGuard', MultiTokenAuthGuard, 'Express'],
  ['PassportBearerAuthGuard', PassportBearerAuthGuard, 'Express'],
  ['MultiTokenAuthGuard', MultiTokenAuthGuard, 'Fastify'],
  ['PassportBearerAuthGuard', PassportBearerAuthGuard, 'Fastify'],
])('scopes and @OptionalAuth() with %s on %s', (_name, guard, platform) => {
  let fixture: Fixture;
  let app: INestApplication;
  let clock: ManualClock;
  let tokens: TokenService;
  let alice: TestUser;

  beforeAll(async () => {
    clock = new ManualClock();
    fixture = await setup(
      {
        clock,
        clients: [
          { name: 'web', tokenTtl: 3600, throttleRate: '2/m' },
          { name: 'api', tokenTtl: null },
          { name: 'browser', tokenTtl: 3600, cookie: true },
        ],
        realm: 'test',
      },
      { controllers: scopedController(guard) },
    );
    app = await createPlatformApp(fixture.module, platform);
    tokens = fixture.module.get(TokenService);
    alice = await fixture.createUser('alice');
  });
  afterAll(() => app.close());

  const get = (path: string, token?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const issue = async (scopes?: string[], client = 'web') => (await tokens.issue(alice, { client, scopes })).token;

  it('controller and handler scopes both apply; the challenge names what the route needs', async () => {
    const reader = await issue(['reports:read']);
    await get('/reports', reader).expect(200);
    const res = await get('/reports/export', reader).expect(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="test", error="insufficient_scope", error_description="The token lacks a scope this route requires.", scope="reports:export reports:read"',
    );
    expect(res.body.requiredScopes).toEqual(['reports:export', 'reports:read']);
    await get('/reports/export', await issue(['reports:export'])).expect(403);
    await get('/reports/export', await issue(['reports:export', 'reports:read'])).expect(200);
  });

  it('@RequireAnyScope: one of the list is enough, none is a 403 naming the alternatives', async () => {
    await get('/reports/audit', await issue(['reports:read', 'reports:audit'])).expect(200);
    await get('/reports/audit', await issue(['reports:read', 'reports:admin'])).expect(200);
    const res = await get('/reports/audit', await issue(['reports:read'])).expect(403);
    expect(res.body).toMatchObject({ code: 'insufficient_scope', anyOfScopes: ['reports:admin', 'reports:audit'] });
    expect(res.headers['www-authenticate']).toContain('scope="reports:admin reports:audit"');
  });

  it('an unrestricted token (client without scopes, none asked) passes every scope check', async () => {
    const all = await issue();
    for (const path of ['/reports', '/reports/export', '/reports/audit']) await get(path, all).expect(200);
  });

  it('the client check comes before the scopes: a web token lacking the scope on an api-only route is client_not_allowed', async () => {
    const res = await get('/reports/api-only', await issue(['reports:read'])).expect(403);
    expect(res.body.code).toBe('client_not_allowed');
    await get('/reports/api-only', await issue(['reports:read', 'reports:keys'], 'api')).expect(200);
  });

  it('the scopes come before the rate limit: refused requests spend none of the budget', async () => {
    clock.advance(3_600_000);
    const lacking = await issue(['reports:read']);
    for (let i = 0; i < 5; i++) expect((await get('/reports/hot', lacking)).status).toBe(403);
    const holding = await issue(['reports:read', 'reports:hot']);
    await get('/reports/hot', holding).expect(200);
    await get('/reports/hot', holding).expect(200);
    expect((await get('/reports/hot', holding).expect(429)).body.code).toBe('rate_limited');
  });

  it('TokenService answers the same questions in code', async () => {
    const { record } = await tokens.issue(alice, { client: 'web', scopes: ['reports:read', 'reports:audit'] });
    expect(tokens.scopesOf(record)).toEqual(['reports:audit', 'reports:read']);
    expect(tokens.hasScopes(record, 'reports:read')).toBe(true);
    expect(tokens.hasScopes(record, 'reports:read', 'reports:export')).toBe(false);
    expect(tokens.hasAnyScope(record, 'reports:export', 'reports:audit')).toBe(true);
    expect(tokens.hasAnyScope(record, 'reports:export')).toBe(false);
    const unrestricted = (await tokens.issue(alice, { client: 'web' })).record;
    expect(tokens.scopesOf(unrestricted)).toBeNull();
    expect(tokens.hasScopes(unrestricted, 'anything')).toBe(true);
  });

  describe('@OptionalAuth()', () => {
    it('no credentials: through anonymously', async () => {
      await get('/hello').expect(200, { user: null });
    });

    it('a valid token (or session cookie): authenticated as usual', async () => {
      await get('/hello', await issue()).expect(200, { user: 'alice' });
      const browser = (await tokens.issue(alice, { client: 'browser' })).token;
      await get('/hello').set('Cookie', `__Host-mta=${browser}`).expect(200, { user: 'alice' });
    });

    it('bad credentials are never downgraded to anonymous: 401 (or 400 when malformed)', async () => {
      const invalid = await get('/hello', 'mta_nonsense').expect(401);
      expect(invalid.headers['www-authenticate']).toContain('error="invalid_token"');
      await get('/hello').set('Cookie', '__Host-mta=mta_nonsense').expect(401);
      await get('/hello').set('Authorization', 'Bearer a b').expect(400);
      await get('/hello').set('Authorization', 'Basic YWxpY2U6cHc=').expect(401);
      await get('/hello').set('Authorization', '').expect(401);
      await get('/hello?access_token=abc').expect(400);
      const soon = (await tokens.issue(alice, { client: 'web', ttl: 60 })).token;
      clock.advance(61_000);
      expect((await get('/hello', soon).expect(401)).body.code).toBe('token_expired');
    });

    it('a token on an optional route with scopes must hold them; anonymous callers pass', async () => {
      await get('/hello/vip').expect(200, { user: null });
      await get('/hello/vip', await issue(['hello:vip'])).expect(200, { user: 'alice' });
      expect((await get('/hello/vip', await issue(['other'])).expect(403)).body.code).toBe('insufficient_scope');
    });
  });
});

describe('scope decorators refuse bad scopes when the class is defined', () => {
  it.each([
    ['no scope', () => RequireScopes()],
    ['a space', () => RequireScopes('orders read')],
    ['a quote', () => RequireAnyScope('a"b')],
    ['an empty one', () => RequireAnyScope('')],
  ])('%s', (_case, make) => {
    expect(make).toThrow(/multi-token-auth: .*(scope|RequireScopes|RequireAnyScope)/);
  });
});
