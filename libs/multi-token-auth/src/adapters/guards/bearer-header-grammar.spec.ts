import { Controller, Get, type INestApplication, type Type, UseGuards } from '@nestjs/common';
import request from 'supertest';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import { createPlatformApp, type HttpPlatform } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import type { TestUser } from '../../testing/test-user.entity';
import { TokenService } from '../../services/tokens/token.service';
import { MultiTokenAuthGuard } from './multi-token-auth.guard';
import { PassportBearerAuthGuard } from './passport-bearer-auth.guard';

function whoController(guard: Type) {
  @Controller()
  @UseGuards(guard)
  class WhoController {
    @Get('who')
    who(@CurrentUser() user: TestUser) {
      return { user: user.username };
    }
  }
  return WhoController;
}

/**
 * The Authorization grammar (RFC 9110 `auth-scheme 1*SP token68`, SP or HTAB accepted), read by
 * the one parser for both guards on both platforms: the Passport strategy must not fall back to
 * passport-http-bearer's own split on one space.
 */
describe.each<[string, HttpPlatform, Type]>([
  ['MultiTokenAuthGuard', 'Express', MultiTokenAuthGuard],
  ['PassportBearerAuthGuard', 'Express', PassportBearerAuthGuard],
  ['MultiTokenAuthGuard', 'Fastify', MultiTokenAuthGuard],
  ['PassportBearerAuthGuard', 'Fastify', PassportBearerAuthGuard],
])('the Authorization grammar: %s on %s', (_name, platform, guard) => {
  let fixture: Fixture;
  let app: INestApplication;
  let token: string;
  const key = '0123456789abcdef'.repeat(2) + '89abcdef';

  beforeAll(async () => {
    fixture = await setup(
      {
        clients: [
          { name: 'web', tokenTtl: 3600 },
          { name: 'legacy', tokenTtl: null },
        ],
        apiKeyClient: null,
        realm: 'test',
        legacyTokens: { format: { alphabet: /[0-9a-f]/, length: 40 }, client: 'legacy', scheme: 'Token' },
      },
      { controllers: [whoController(guard)] },
    );
    app = await createPlatformApp(fixture.module, platform);
    const user = await fixture.createUser('alice');
    const tokens = fixture.module.get(TokenService);
    token = (await tokens.issue(user, { client: 'web' })).token;
    await tokens.importLegacyTokens([{ username: 'alice', userId: user.id, key }]);
  });
  afterAll(() => app.close());

  const who = (authorization: string) => request(app.getHttpServer()).get('/who').set('Authorization', authorization);

  it.each([
    ['two spaces', (t: string) => `Bearer  ${t}`],
    ['a TAB', (t: string) => `Bearer\t${t}`],
    ['spaces and TABs mixed', (t: string) => `bearer \t  \t${t}`],
    ['the legacy scheme with a TAB', () => `Token\t${key}`],
    ['the legacy scheme with three spaces', () => `token   ${key}`],
  ])('200 with %s after the scheme', async (_case, header) => {
    const res = await who(header(token)).expect(200);
    expect(res.body).toEqual({ user: 'alice' });
  });

  it.each([
    ['a no-break space', (t: string) => `Bearer\u00a0${t}`],
    ['a Latin-1 byte (obs-text) in the token', (t: string) => `Bearer ${t}\u00e9`],
    ['a comma', (t: string) => `Bearer,${t}`],
    ['a second value', (t: string) => `Bearer ${t} ${t}`],
    ['a character outside token68', (t: string) => `Bearer ${t}%`],
    ['padding in the middle', (t: string) => `Bearer ${t.slice(0, 10)}=${t.slice(10)}`],
    ['an auth-param instead of a token', () => 'Bearer realm="x"'],
  ])('400 invalid_request with %s, never "no credentials"', async (_case, header) => {
    const res = await who(header(token)).expect(400);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="test", error="invalid_request"/);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_request' });
    expect(JSON.stringify(res.body) + res.headers['www-authenticate']).not.toContain(token);
  });

  it.each(['Basic  YWxpY2U6cHc=', 'Basic a b c', 'Basic', 'Bearerx abc', 'Negotiate\tabc'])(
    'another scheme (%j), however it is spaced, is no bearer credentials: 401 with a bare challenge',
    async (header) => {
      const res = await who(header).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="test"');
      expect(res.body).toMatchObject({ statusCode: 401, code: 'missing_token' });
    },
  );
});
