import {
  Controller,
  Get,
  Injectable,
  type ExecutionContext,
  type INestApplication,
  type Type,
  UseGuards,
} from '@nestjs/common';
import request from 'supertest';
import { InvalidTokenException } from '../../contracts/errors/auth.exceptions';
import type { RoutePolicy } from '../../pure/decorators/route-policy';
import type { AuthRequest } from '../../pure/http/auth-request';
import type { BearerCredentials } from '../../pure/http/bearer-header.parser';
import type { TransportCall } from '../../pure/transports/transport-call';
import { TokenService } from '../../services/tokens/token.service';
import { createPlatformApp } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { MultiTokenAuthGuard } from './multi-token-auth.guard';
import { PassportBearerAuthGuard } from './passport-bearer-auth.guard';

/** What an app's subclass records: a dependency of its own, injected beside the guard's. */
@Injectable()
class AuditLog {
  readonly entries: string[] = [];
}

/**
 * An app's guard that overrides each step: a key in `X-Api-Key` counts as a bearer token, every
 * refusal is recorded, and a route's request with `X-Closed: 1` is refused after authentication.
 */
function auditedGuard(base: Type<MultiTokenAuthGuard | PassportBearerAuthGuard>): Type {
  @Injectable()
  class AuditedGuard extends (base as Type<MultiTokenAuthGuard>) {
    constructor(private readonly audit: AuditLog) {
      super();
    }

    protected override extractCredentials(req: AuthRequest): BearerCredentials {
      const key = req.headers['x-api-key'];
      return typeof key === 'string' ? { kind: 'token', token: key } : super.extractCredentials(req);
    }

    protected override async authorize(
      context: ExecutionContext,
      call: TransportCall,
      policy: RoutePolicy,
    ): Promise<boolean> {
      if (call.req.headers['x-closed'] === '1') throw new InvalidTokenException();
      return super.authorize(context, call, policy);
    }

    protected override refuse(call: TransportCall, error: unknown): never {
      this.audit.entries.push(`${call.kind}: ${error instanceof Error ? error.message : String(error)}`);
      return super.refuse(call, error);
    }
  }
  return AuditedGuard;
}

describe.each<[string, Type<MultiTokenAuthGuard | PassportBearerAuthGuard>]>([
  ['MultiTokenAuthGuard', MultiTokenAuthGuard],
  ['PassportBearerAuthGuard', PassportBearerAuthGuard],
])("an app's subclass of %s overrides one step at a time", (_name, base) => {
  const guard = auditedGuard(base);
  let fixture: Fixture;
  let app: INestApplication;
  let token: string;

  @Controller()
  @UseGuards(guard)
  class MeController {
    @Get('me')
    me() {
      return { ok: true };
    }
  }

  beforeAll(async () => {
    fixture = await setup({}, { controllers: [MeController], providers: [AuditLog, guard] });
    app = await createPlatformApp(fixture.module, 'Express');
    const user = await fixture.createUser('alice');
    token = (await fixture.module.get(TokenService).issue(user, { client: 'web' })).token;
  });
  afterAll(() => app.close());

  const audit = () => fixture.module.get(AuditLog).entries;

  it('constructs with only its own dependency; the guard keeps its own', async () => {
    await request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(audit()).toEqual([]);
  });

  it('extractCredentials: the token read from another header passes the same verifier', async () => {
    // PassportBearerAuthGuard's strategy reads Authorization itself: the override decides only its own answer.
    const expected = base === MultiTokenAuthGuard ? 200 : 401;
    await request(app.getHttpServer()).get('/me').set('X-Api-Key', token).expect(expected);
    await request(app.getHttpServer()).get('/me').set('X-Api-Key', `${token}x`).expect(401);
  });

  it('authorize and refuse: a refusal after authentication goes through the override, in the library body', async () => {
    audit().length = 0;
    const res = await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Closed', '1')
      .expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'invalid_token' });
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(audit()).toEqual(['http: Invalid token.']);
  });
});
