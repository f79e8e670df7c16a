import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import request from 'supertest';
import { ManualClock } from '../../contracts/clock/manual.clock';
import { CurrentToken } from '../../pure/decorators/current-token.decorator';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import { PassportBearerAuthGuard } from '../guards/passport-bearer-auth.guard';
import { createPlatformApp, HTTP_PLATFORMS } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import type { TestUser } from '../../testing/test-user.entity';
import { TokenService } from '../../services/tokens/token.service';

/** A JWT's shape (header.payload.signature): a bearer value that is not the library's. */
const JWT_SHAPED = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl';

@Controller()
class RoutesController {
  // The named strategy through @nestjs/passport's own guard, as an app writes it.
  @UseGuards(AuthGuard('multi-token-bearer'))
  @Get('direct')
  direct(@CurrentUser() user: TestUser, @CurrentToken() token: AuthToken) {
    return { user: user.username, client: token.client.name };
  }

  @UseGuards(PassportBearerAuthGuard)
  @Get('passport')
  passport(@CurrentUser() user: TestUser, @CurrentToken() token: AuthToken) {
    return { user: user.username, client: token.client.name };
  }

  @UseGuards(MultiTokenAuthGuard)
  @Get('library')
  library(@CurrentUser() user: TestUser, @CurrentToken() token: AuthToken) {
    return { user: user.username, client: token.client.name };
  }
}

describe.each(HTTP_PLATFORMS)("AuthGuard('multi-token-bearer') used directly, on %s", (platform) => {
  let fixture: Fixture;
  let app: INestApplication;
  const clock = new ManualClock();
  let token: string;

  beforeAll(async () => {
    fixture = await setup(
      { clock, realm: 'test', clients: [{ name: 'web', tokenTtl: 3600 }], apiKeyClient: null },
      { controllers: [RoutesController] },
    );
    app = await createPlatformApp(fixture.module, platform);
    token = (await fixture.module.get(TokenService).issue(await fixture.createUser('alice'), { client: 'web' })).token;
  });
  afterAll(() => app.close());

  async function answer(path: string, headers: Record<string, string>) {
    const res = await request(app.getHttpServer()).get(path).set(headers);
    return { status: res.status, challenge: res.headers['www-authenticate'] as string | undefined, body: res.body };
  }

  it('accepts a valid token: @CurrentUser() and @CurrentToken() are set', async () => {
    expect(await answer('/direct', { Authorization: `Bearer ${token}` })).toEqual({
      status: 200,
      challenge: undefined,
      body: { user: 'alice', client: 'web' },
    });
  });

  it("no credentials, another scheme or a bearer value not of the library's shape: Passport's plain 401 (a failure, not the library's error)", async () => {
    for (const headers of [
      {},
      { Authorization: 'Basic YWxpY2U6cHc=' },
      { Authorization: `Bearer ${JWT_SHAPED}` },
    ] as Record<string, string>[]) {
      expect([headers, await answer('/direct', headers)]).toEqual([
        headers,
        { status: 401, challenge: undefined, body: { statusCode: 401, message: 'Unauthorized' } },
      ]);
    }
  });

  it("PassportBearerAuthGuard gives the library's answers there: missing_token with the bare challenge, invalid_token for a foreign value", async () => {
    for (const headers of [{}, { Authorization: 'Basic YWxpY2U6cHc=' }] as Record<string, string>[]) {
      expect(await answer('/passport', headers)).toEqual({
        status: 401,
        challenge: 'Bearer realm="test"',
        body: { statusCode: 401, message: expect.any(String), error: 'Unauthorized', code: 'missing_token' },
      });
    }
    expect(await answer('/passport', { Authorization: `Bearer ${JWT_SHAPED}` })).toEqual({
      status: 401,
      challenge: 'Bearer realm="test", error="invalid_token", error_description="Invalid token."',
      body: { statusCode: 401, message: 'Invalid token.', error: 'Unauthorized', code: 'invalid_token' },
    });
  });

  it('400 invalid_request for a malformed header', async () => {
    expect(await answer('/direct', { Authorization: 'Bearer a b' })).toMatchObject({
      status: 400,
      challenge: expect.stringMatching(/^Bearer realm="test", error="invalid_request", error_description="/),
      body: { statusCode: 400, code: 'invalid_request' },
    });
  });

  it('401 invalid_token for an unknown token, and "Token has expired." once the clock passes expiresAt', async () => {
    expect(await answer('/direct', { Authorization: `Bearer mta_${'a'.repeat(38)}` })).toEqual({
      status: 401,
      challenge: 'Bearer realm="test", error="invalid_token", error_description="Invalid token."',
      body: { statusCode: 401, message: 'Invalid token.', error: 'Unauthorized', code: 'invalid_token' },
    });
    const expiring = (await fixture.module.get(TokenService).issue(1, { client: 'web', ttl: 60 })).token;
    clock.advance(60_000);
    const expired = await answer('/direct', { Authorization: `Bearer ${expiring}` });
    expect(expired).toMatchObject({ status: 401, body: { message: 'Token has expired.', code: 'token_expired' } });
    expect(expired.challenge).toMatch(/error="invalid_token"/);
  });

  it('answers every case exactly as MultiTokenAuthGuard does: through PassportBearerAuthGuard always, directly for values of its shape', async () => {
    const ours = [
      { Authorization: 'Bearer' },
      { Authorization: 'Bearer a b' },
      { Authorization: `Bearer mta_${'b'.repeat(38)}` },
      { Authorization: `Bearer ${token}` },
    ] as Record<string, string>[];
    const notOurs = [{}, { Authorization: 'Basic YWxpY2U6cHc=' }, { Authorization: `Bearer ${JWT_SHAPED}` }];
    for (const headers of [...ours, ...notOurs] as Record<string, string>[]) {
      expect([headers, await answer('/passport', headers)]).toEqual([headers, await answer('/library', headers)]);
    }
    for (const headers of ours) {
      expect([headers, await answer('/direct', headers)]).toEqual([headers, await answer('/library', headers)]);
    }
  });
});
