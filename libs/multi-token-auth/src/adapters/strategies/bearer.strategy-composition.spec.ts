import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthGuard } from '@nestjs/passport';
import request from 'supertest';
import { ManualClock } from '../../contracts/clock/manual.clock';
import { AllowClients } from '../../pure/decorators/allow-clients.decorator';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import { ClientAccessGuard } from '../guards/client-access.guard';
import { DRF_TOKEN_FORMAT } from '../../pure/tokens/legacy-token.format';
import { TokenStore } from '../../contracts/token-store.interface';
import { Anonymous, APP_JWT_SECRET, JwtHolder, KeyHeader } from '../../testing/app-strategies';
import { createPlatformApp, HTTP_PLATFORMS } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TokenService } from '../../services/tokens/token.service';

const who = (user: { username: string } | undefined) => ({ user: user?.username ?? null });

@Controller()
class ChainsController {
  @UseGuards(AuthGuard(['multi-token-bearer', 'x-key']))
  @Get('ours-first')
  oursFirst(@CurrentUser() user: { username: string }) {
    return who(user);
  }

  @UseGuards(AuthGuard(['x-key', 'multi-token-bearer']))
  @Get('ours-last')
  oursLast(@CurrentUser() user: { username: string }) {
    return who(user);
  }

  @UseGuards(AuthGuard(['multi-token-bearer', 'jwt']))
  @Get('then-jwt')
  thenJwt(@CurrentUser() user: { username: string }) {
    return who(user);
  }

  @UseGuards(AuthGuard(['jwt', 'multi-token-bearer']))
  @Get('jwt-first')
  jwtFirst(@CurrentUser() user: { username: string }) {
    return who(user);
  }

  @UseGuards(AuthGuard(['multi-token-bearer', 'jwt']), ClientAccessGuard)
  @AllowClients('web')
  @Get('web-only')
  webOnly(@CurrentUser() user: { username: string }) {
    return who(user);
  }

  @UseGuards(AuthGuard(['multi-token-bearer', 'anonymous']))
  @Get('or-anonymous')
  orAnonymous(@CurrentUser() user: { username: string } | undefined) {
    return who(user);
  }
}

const PASSPORT_401 = { status: 401, challenge: undefined, body: { statusCode: 401, message: 'Unauthorized' } };
const INVALID_TOKEN = {
  status: 401,
  challenge: 'Bearer realm="test", error="invalid_token", error_description="Invalid token."',
  body: { statusCode: 401, message: 'Invalid token.', error: 'Unauthorized', code: 'invalid_token' },
};
const UNKNOWN_OURS = `Bearer mta_${'a'.repeat(38)}`;
const DRF_KEY = '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b';

describe.each(HTTP_PLATFORMS)("'multi-token-bearer' composed with other strategies, on %s", (platform) => {
  let fixture: Fixture;
  let app: INestApplication;
  const clock = new ManualClock();
  let token: string;
  let jwt: string;
  let lookups: jest.SpyInstance;

  beforeAll(async () => {
    fixture = await setup(
      { clock, realm: 'test', clients: [{ name: 'web', tokenTtl: 3600 }], apiKeyClient: null },
      { controllers: [ChainsController], providers: [KeyHeader, Anonymous, JwtHolder] },
    );
    app = await createPlatformApp(fixture.module, platform);
    token = (await fixture.module.get(TokenService).issue(await fixture.createUser('alice'), { client: 'web' })).token;
    jwt = new JwtService({ secret: APP_JWT_SECRET }).sign({ sub: 'bob' });
    lookups = jest.spyOn(fixture.module.get<TokenStore>(TokenStore), 'findByDigest');
  });
  afterAll(() => app.close());
  beforeEach(() => lookups.mockClear());

  async function answer(path: string, headers: Record<string, string>) {
    const res = await request(app.getHttpServer()).get(path).set(headers);
    return { status: res.status, challenge: res.headers['www-authenticate'] as string | undefined, body: res.body };
  }

  it.each(['/ours-first', '/ours-last'])('%s: a valid X-Key gets in, and so does a valid token', async (path) => {
    expect(await answer(path, { 'X-Key': 'letmein' })).toEqual({
      status: 200,
      challenge: undefined,
      body: { user: 'key holder' },
    });
    expect(await answer(path, { Authorization: `Bearer ${token}` })).toMatchObject({
      status: 200,
      body: { user: 'alice' },
    });
    // Neither strategy's: the whole chain failed, Passport's own answer.
    expect(await answer(path, {})).toEqual(PASSPORT_401);
  });

  it.each(['/ours-first', '/ours-last'])(
    "%s: a token of the library's shape that is invalid is answered invalid_token with its challenge",
    async (path) => {
      expect(await answer(path, { Authorization: UNKNOWN_OURS })).toEqual(INVALID_TOKEN);
      expect(await answer(path, { Authorization: 'Bearer a b' })).toMatchObject({
        status: 400,
        challenge: expect.stringMatching(/^Bearer realm="test", error="invalid_request"/),
        body: { code: 'invalid_request' },
      });
    },
  );

  it("a token's own rateLimit holds behind a plain AuthGuard too, with its headers and Retry-After", async () => {
    const user = await fixture.createUser(`limited-${platform}`);
    const limited = (await fixture.module.get(TokenService).issue(user, { client: 'web', rateLimit: '2/m' })).token;
    const call = () =>
      request(app.getHttpServer())
        .get('/then-jwt')
        .set({ Authorization: `Bearer ${limited}` });
    expect((await call()).headers['x-ratelimit-remaining-key']).toBe('1');
    expect((await call()).headers['x-ratelimit-remaining-key']).toBe('0');
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('the chain stops at the first strategy that decides: ours first ends it on a bad token of ours, X-Key first wins', async () => {
    const both = { Authorization: UNKNOWN_OURS, 'X-Key': 'letmein' };
    expect(await answer('/ours-first', both)).toEqual(INVALID_TOKEN);
    expect(await answer('/ours-last', both)).toMatchObject({ status: 200, body: { user: 'key holder' } });
  });

  it.each(['/then-jwt', '/jwt-first'])(
    '%s: a JWT passes to passport-jwt without a lookup, and a token of ours is verified by ours',
    async (path) => {
      expect(await answer(path, { Authorization: `Bearer ${jwt}` })).toEqual({
        status: 200,
        challenge: undefined,
        body: { user: 'jwt:bob' },
      });
      expect(lookups).not.toHaveBeenCalled();
      expect(await answer(path, { Authorization: `Bearer ${token}` })).toMatchObject({
        status: 200,
        body: { user: 'alice' },
      });
      // A JWT with a bad signature is passport-jwt's failure, never the library's invalid_token.
      expect(await answer(path, { Authorization: `Bearer ${jwt.slice(0, -2)}xx` })).toEqual(PASSPORT_401);
      expect(await answer(path, { Authorization: UNKNOWN_OURS })).toEqual(INVALID_TOKEN);
    },
  );

  it('with ClientAccessGuard after the chain: a JWT holder has no token of ours, so @AllowClients answers 401 missing_token', async () => {
    expect(await answer('/web-only', { Authorization: `Bearer ${token}` })).toMatchObject({
      status: 200,
      body: { user: 'alice' },
    });
    expect(await answer('/web-only', { Authorization: `Bearer ${jwt}` })).toMatchObject({
      status: 401,
      challenge: 'Bearer realm="test"',
      body: { code: 'missing_token' },
    });
  });

  it('before an anonymous strategy: no credentials go through with no user; a bad token of ours never does', async () => {
    expect(await answer('/or-anonymous', {})).toEqual({ status: 200, challenge: undefined, body: { user: null } });
    expect(await answer('/or-anonymous', { Authorization: `Bearer ${token}` })).toMatchObject({
      status: 200,
      body: { user: 'alice' },
    });
    expect(await answer('/or-anonymous', { Authorization: UNKNOWN_OURS })).toEqual(INVALID_TOKEN);
    const expiring = (await fixture.module.get(TokenService).issue(1, { client: 'web', ttl: 60 })).token;
    clock.advance(60_000);
    expect(await answer('/or-anonymous', { Authorization: `Bearer ${expiring}` })).toMatchObject({
      status: 401,
      challenge: expect.stringMatching(/error="invalid_token"/),
      body: { code: 'token_expired' },
    });
  });

  it("a DRF-shaped key is another scheme's without legacyTokens: it passes on", async () => {
    expect(await answer('/or-anonymous', { Authorization: `Bearer ${DRF_KEY}` })).toMatchObject({
      status: 200,
      body: { user: null },
    });
    expect(lookups).not.toHaveBeenCalled();
  });
});

describe.each(HTTP_PLATFORMS)("a configured legacyTokens format counts as the library's, on %s", (platform) => {
  let fixture: Fixture;
  let app: INestApplication;

  beforeAll(async () => {
    fixture = await setup(
      {
        realm: 'test',
        clients: [
          { name: 'web', tokenTtl: 3600 },
          { name: 'legacy', tokenTtl: null },
        ],
        apiKeyClient: null,
        legacyTokens: { format: DRF_TOKEN_FORMAT, client: 'legacy', scheme: 'Token' },
      },
      { controllers: [ChainsController], providers: [KeyHeader, Anonymous, JwtHolder] },
    );
    app = await createPlatformApp(fixture.module, platform);
  });
  afterAll(() => app.close());

  it('an unknown key of that shape is invalid_token (never anonymous), under Bearer and the legacy scheme', async () => {
    for (const scheme of ['Bearer', 'Token']) {
      const res = await request(app.getHttpServer()).get('/or-anonymous').set('Authorization', `${scheme} ${DRF_KEY}`);
      expect([scheme, res.status, res.body]).toEqual([scheme, INVALID_TOKEN.status, INVALID_TOKEN.body]);
      expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN.challenge);
    }
    // A value of neither shape under the legacy scheme is still another scheme's.
    const other = await request(app.getHttpServer()).get('/or-anonymous').set('Authorization', 'Token not-a-drf-key');
    expect([other.status, other.body]).toEqual([200, { user: null }]);
  });
});
