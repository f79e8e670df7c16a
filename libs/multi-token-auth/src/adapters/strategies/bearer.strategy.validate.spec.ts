import { Controller, Get, Injectable, UseGuards, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AuthRequest } from '../../pure/http/auth-request';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import { TokenService } from '../../services/tokens/token.service';
import { createPlatformApp } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { PassportBearerAuthGuard } from '../guards/passport-bearer-auth.guard';
import type { CredentialsSource } from './bearer-credentials.reader';
import { MultiTokenBearerStrategy } from './bearer.strategy';

/** An app's strategy that only overrides validate(): it adds to the user what it loaded. */
@Injectable()
class ProfileStrategy extends MultiTokenBearerStrategy {
  readonly seen: CredentialsSource[] = [];
  override async validate(req: AuthRequest, token: string, source: CredentialsSource = 'header'): Promise<object> {
    this.seen.push(source);
    return { ...(await super.validate(req, token, source)), profile: 'loaded' };
  }
}

@Controller()
@UseGuards(PassportBearerAuthGuard)
class MeController {
  @Get('me')
  me(@CurrentUser() user: { username: string; profile?: string }) {
    return { username: user.username, profile: user.profile };
  }
}

describe("MultiTokenBearerStrategy: an app's subclass overrides validate() alone", () => {
  let fixture: Fixture;
  let app: INestApplication;
  let token: string;
  let browser: string;

  beforeAll(async () => {
    fixture = await setup(
      {
        clients: [
          { name: 'web', tokenTtl: 3600 },
          { name: 'browser', tokenTtl: 3600, cookie: true },
          { name: 'api', tokenTtl: null },
        ],
      },
      { controllers: [MeController], providers: [ProfileStrategy] },
    );
    app = await createPlatformApp(fixture.module, 'Express');
    const user = await fixture.createUser('alice');
    token = (await fixture.module.get(TokenService).issue(user, { client: 'web' })).token;
    browser = (await fixture.module.get(TokenService).issue(user, { client: 'browser' })).token;
  });
  afterAll(() => app.close());

  it('a header token and a session cookie reach the override, which adds to the user', async () => {
    const header = await request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(header.body).toEqual({ username: 'alice', profile: 'loaded' });
    const cookie = await request(app.getHttpServer()).get('/me').set('Cookie', `__Host-mta=${browser}`).expect(200);
    expect(cookie.body).toEqual({ username: 'alice', profile: 'loaded' });
    expect(fixture.module.get(ProfileStrategy).seen).toEqual(['header', 'cookie']);
  });

  it('keeps the library answers, read underneath: a malformed header 400, a bad token 401 with its challenge', async () => {
    const seen = fixture.module.get(ProfileStrategy).seen;
    seen.length = 0;
    const malformed = await request(app.getHttpServer()).get('/me?access_token=x').expect(400);
    expect(malformed.body).toMatchObject({ code: 'invalid_request' });
    const revoked = await request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}x`).expect(401);
    expect(revoked.body).toMatchObject({ code: 'invalid_token' });
    expect(revoked.headers['www-authenticate']).toContain('error="invalid_token"');
    // Not of the library's shape: never handed to validate().
    await request(app.getHttpServer()).get('/me').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x').expect(401);
    expect(seen).toEqual(['header']);
  });
});
