import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import request from 'supertest';
import { ManualClock } from '../../contracts/clock/manual.clock';
import { TokenCost } from '../../pure/decorators/token-cost.decorator';
import { createPlatformApp } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TokenService } from '../../services/tokens/token.service';
import { MultiTokenAuthGuard } from './multi-token-auth.guard';
import { PassportBearerAuthGuard } from './passport-bearer-auth.guard';
import { ScopeGuard } from './scope.guard';
import { RequireScopes } from '../../pure/decorators/require-scopes.decorator';

@Controller()
class QuotaRoutesController {
  // Authenticates only: spends 1 (it cannot see a route's cost; the start-up check refuses @TokenCost here).
  @UseGuards(AuthGuard('multi-token-bearer'))
  @Get('direct')
  direct() {
    return { ok: true };
  }

  @UseGuards(PassportBearerAuthGuard)
  @TokenCost(3)
  @Get('passport')
  passport() {
    return { ok: true };
  }

  @UseGuards(PassportBearerAuthGuard)
  @RequireScopes('reports:write')
  @TokenCost(3)
  @Get('passport-scoped')
  passportScoped() {
    return { ok: true };
  }

  @UseGuards(MultiTokenAuthGuard)
  @TokenCost(3)
  @Get('library')
  library() {
    return { ok: true };
  }

  @UseGuards(MultiTokenAuthGuard)
  @TokenCost(0)
  @Get('free')
  free() {
    return { ok: true };
  }

  // The strategy spends 1, then the library's guard the rest of the route's 4: once in all.
  @UseGuards(AuthGuard('multi-token-bearer'), MultiTokenAuthGuard)
  @TokenCost(4)
  @Get('stacked')
  stacked() {
    return { ok: true };
  }

  // The strategy spends 1, then ScopeGuard refuses: behind a plain AuthGuard the unit is gone.
  @UseGuards(AuthGuard('multi-token-bearer'), ScopeGuard)
  @RequireScopes('reports:write')
  @Get('direct-scoped')
  directScoped() {
    return { ok: true };
  }
}

describe('a token quota behind each guard', () => {
  let fixture: Fixture;
  let app: INestApplication;
  const clock = new ManualClock();

  beforeAll(async () => {
    fixture = await setup(
      {
        clock,
        clients: [{ name: 'web', tokenTtl: 3600, scopes: ['reports:read', 'reports:write'] }],
        apiKeyClient: null,
      },
      { controllers: [QuotaRoutesController] },
    );
    app = await createPlatformApp(fixture.module, 'Express');
  });
  afterAll(() => app.close());

  async function withQuota(limit: number, scopes?: string[]) {
    const user = await fixture.createUser(`u${Math.random()}`);
    return (await fixture.module.get(TokenService).issue(user, { client: 'web', quota: { limit }, scopes })).token;
  }
  const call = async (path: string, token: string) => {
    const res = await request(app.getHttpServer())
      .get(path)
      .set({ Authorization: `Bearer ${token}` });
    return [res.status, res.headers['x-quota-remaining'] as string | undefined] as const;
  };

  it.each([
    ['AuthGuard alone: 1 a request', '/direct', ['9', '8']],
    ['PassportBearerAuthGuard: the route’s cost, once', '/passport', ['7', '4']],
    ['MultiTokenAuthGuard: the route’s cost', '/library', ['7', '4']],
    ['a route costing 0: nothing, the headers still sent', '/free', ['10', '10']],
    ['AuthGuard then MultiTokenAuthGuard: the route’s cost, once in all', '/stacked', ['6', '2']],
  ])('%s', async (_case, path, remaining) => {
    const token = await withQuota(10);
    const seen = [await call(path, token), await call(path, token)];
    expect(seen).toEqual(remaining.map((left) => [200, left]));
  });

  it('behind PassportBearerAuthGuard a request the scopes refuse spends nothing; behind a plain AuthGuard its 1 is spent', async () => {
    const token = await withQuota(10, ['reports:read']);
    expect((await call('/passport-scoped', token))[0]).toBe(403);
    expect(await call('/library', token)).toEqual([200, '7']);
    expect((await call('/direct-scoped', token))[0]).toBe(403);
    expect(await call('/library', token)).toEqual([200, '3']);
  });

  it('the last units: 429 quota_exhausted behind each guard', async () => {
    const token = await withQuota(2);
    expect(await call('/library', token)).toEqual([429, '2']);
    expect(await call('/passport', token)).toEqual([429, '2']);
    expect(await call('/direct', token)).toEqual([200, '1']);
    expect(await call('/direct', token)).toEqual([200, '0']);
    expect(await call('/direct', token)).toEqual([429, '0']);
  });
});
