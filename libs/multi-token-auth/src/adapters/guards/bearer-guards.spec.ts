import { Controller, Get, Post, type INestApplication, type Type, UseGuards } from '@nestjs/common';
import request from 'supertest';
import { ManualClock } from '../../contracts/clock/manual.clock';
import { AllowClients } from '../../pure/decorators/allow-clients.decorator';
import { ClientRateLimit } from '../../pure/decorators/client-rate-limit.decorator';
import { CurrentToken } from '../../pure/decorators/current-token.decorator';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { createPlatformApp, type HttpPlatform } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import type { TestUser } from '../../testing/test-user.entity';
import { TokenService } from '../../services/tokens/token.service';
import { CookieTransport } from '../http/cookie-transport';
import { MultiTokenAuthGuard } from './multi-token-auth.guard';
import { PassportBearerAuthGuard } from './passport-bearer-auth.guard';

function apiOnlyController(guard: Type) {
  @Controller('api-area')
  @UseGuards(guard)
  @AllowClients('api')
  class ApiAreaController {
    @Get()
    area() {
      return { ok: true };
    }

    @AllowClients('web') // a handler's list overrides its controller's
    @Get('web-exception')
    webException() {
      return { ok: true };
    }
  }
  return ApiAreaController;
}

function fixtureController(guard: Type) {
  @Controller()
  @UseGuards(guard)
  class GuardedController {
    @Get('who')
    who(@CurrentUser() user: TestUser, @CurrentToken() token: AuthToken) {
      return { user: user.username, client: token.client.name };
    }

    @AllowClients('api')
    @Get('api-only')
    apiOnly() {
      return { ok: true };
    }

    @ClientRateLimit()
    @Get('limited')
    limited() {
      return { ok: true };
    }

    @Post('act')
    act(@CurrentToken() token: AuthToken) {
      return { client: token.client.name };
    }
  }
  return GuardedController;
}

// Both guards go through the same verifier, so they must answer every request identically, on
// either HTTP platform.
describe.each<[string, Type, HttpPlatform]>([
  ['MultiTokenAuthGuard', MultiTokenAuthGuard, 'Express'],
  ['PassportBearerAuthGuard (passport-http-bearer)', PassportBearerAuthGuard, 'Express'],
  ['MultiTokenAuthGuard', MultiTokenAuthGuard, 'Fastify'],
  ['PassportBearerAuthGuard (passport-http-bearer)', PassportBearerAuthGuard, 'Fastify'],
])('%s on %s', (_name, guard, platform) => {
  let fixture: Fixture;
  let app: INestApplication;
  let clock: ManualClock;
  let token: string;

  beforeAll(async () => {
    clock = new ManualClock();
    fixture = await setup(
      {
        clock,
        clients: [
          { name: 'web', tokenTtl: 3600, throttleRate: '2/m' },
          { name: 'api', tokenTtl: null },
          { name: 'browser', tokenTtl: 3600, cookie: true },
          { name: 'legacy', tokenTtl: null },
        ],
        realm: 'test',
        legacyTokens: { format: { alphabet: /[0-9a-f]/, length: 40 }, client: 'legacy', scheme: 'Token' },
      },
      { controllers: [fixtureController(guard), apiOnlyController(guard)] },
    );
    app = await createPlatformApp(fixture.module, platform);
    const user = await fixture.createUser('alice');
    token = (await fixture.module.get(TokenService).issue(user, { client: 'web' })).token;
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (path: string) => request(app.getHttpServer()).get(path);

  it('accepts a valid token, with the scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await get('/who').set('Authorization', `${scheme} ${token}`).expect(200);
      expect(res.body).toEqual({ user: 'alice', client: 'web' });
    }
  });

  it('an imported legacy key works as Bearer and as `Token <key>` (legacyTokens.scheme); other shapes and keys do not', async () => {
    const user = await fixture.users.findOneByOrFail({ username: 'alice' });
    const key = '0123456789abcdef'.repeat(2) + '01234567';
    const imported = await fixture.module
      .get(TokenService)
      .importLegacyTokens([{ username: 'alice', userId: user.id, key }]);
    expect(imported).toEqual({ imported: 1, skipped: [], normalized: [] });
    for (const header of [`Token ${key}`, `token ${key}`, `Bearer ${key}`]) {
      expect((await get('/who').set('Authorization', header).expect(200)).body).toEqual({
        user: 'alice',
        client: 'legacy',
      });
    }
    // The scheme is another word for Bearer: the library's own tokens pass with it too.
    await get('/who').set('Authorization', `Token ${token}`).expect(200);
    await get('/who')
      .set('Authorization', `Token ${'f'.repeat(40)}`)
      .expect(401);
    await get('/who')
      .set('Authorization', `Token ${key.slice(1)}`)
      .expect(401);
    await get('/who').set('Authorization', `Token ${key} extra`).expect(400);
    await get('/who').set('Authorization', `Basic ${key}`).expect(401);
  });

  it('a browser client: the session cookie authenticates; an unsafe request needs X-CSRF-Token (403 csrf_failed)', async () => {
    const user = await fixture.users.findOneByOrFail({ username: 'alice' });
    const browser = (await fixture.module.get(TokenService).issue(user, { client: 'browser' })).token;
    const cookie = `__Host-mta=${browser}`;
    expect((await get('/who').set('Cookie', cookie).expect(200)).body).toEqual({ user: 'alice', client: 'browser' });
    const post = () => request(app.getHttpServer()).post('/act').set('Cookie', cookie);
    expect((await post().expect(403)).body).toMatchObject({ code: 'csrf_failed' });
    const csrf = fixture.module.get(CookieTransport).csrfOf(browser);
    await post().set('X-CSRF-Token', csrf).expect(201, { client: 'browser' });
    // A token of a client without cookies is refused from the cookie, accepted as a bearer token.
    await get('/who').set('Cookie', `__Host-mta=${token}`).expect(401);
  });

  it('401 with a bare challenge when there are no credentials (or another scheme)', async () => {
    for (const headers of [{}, { Authorization: 'Basic YWxpY2U6cHc=' }]) {
      const res = await get('/who').set(headers).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="test"');
      expect(res.body).toMatchObject({ statusCode: 401, code: 'missing_token' });
    }
  });

  it.each([
    ['an empty bearer header', { Authorization: 'Bearer' }, ''],
    ['two tokens', { Authorization: 'Bearer a b' }, ''],
    ['a token in the query string', {}, '?access_token=TOKEN'],
  ])('400 invalid_request for %s', async (_case, headers, query) => {
    const res = await get(`/who${query.replace('TOKEN', token)}`)
      .set(headers)
      .expect(400);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="test", error="invalid_request"/);
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it('401 invalid_token for an unknown token, without echoing it', async () => {
    const forged = `mta_${'a'.repeat(38)}`;
    const res = await get('/who').set('Authorization', `Bearer ${forged}`).expect(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="test", error="invalid_token", error_description="Invalid token."',
    );
    expect(res.body).toEqual({
      statusCode: 401,
      message: 'Invalid token.',
      error: 'Unauthorized',
      code: 'invalid_token',
    });
    expect(JSON.stringify(res.body) + res.headers['www-authenticate']).not.toContain(forged);
  });

  it('403 insufficient_scope for a refused client', async () => {
    const res = await get('/api-only').set('Authorization', `Bearer ${token}`).expect(403);
    expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
  });

  it('a controller-level @AllowClients applies to its handlers unless one overrides it', async () => {
    await get('/api-area').set('Authorization', `Bearer ${token}`).expect(403);
    await get('/api-area/web-exception').set('Authorization', `Bearer ${token}`).expect(200);
    await get('/api-area').expect(401);
  });

  it('429 after the client rate, keyed by user and client', async () => {
    await get('/limited').set('Authorization', `Bearer ${token}`).expect(200);
    await get('/limited').set('Authorization', `Bearer ${token}`).expect(200);
    const res = await get('/limited').set('Authorization', `Bearer ${token}`).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await get('/limited').expect(401);
  });

  it('401 "Token has expired." once the clock passes expiresAt', async () => {
    clock.advance(3600_000);
    const res = await get('/who').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.message).toBe('Token has expired.');
  });
});
