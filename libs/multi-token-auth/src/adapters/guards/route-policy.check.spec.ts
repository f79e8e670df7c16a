import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Injectable, UseGuards, type CanActivate, type ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Query, Resolver } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AllowClients } from '../../pure/decorators/allow-clients.decorator';
import { DisallowClients } from '../../pure/decorators/disallow-clients.decorator';
import { OptionalAuth } from '../../pure/decorators/optional-auth.decorator';
import { TokenCost } from '../../pure/decorators/token-cost.decorator';
import { Public } from '../../pure/decorators/public.decorator';
import { RequireScopes } from '../../pure/decorators/require-scopes.decorator';
import { multiTokenAuthEntities } from '../../contracts/entities/auth-entities.factory';
import { multiTokenAuthMigrations } from '../../pure/migrations/multi-token-auth.migrations';
import { MULTI_TOKEN_BEARER } from '../../contracts/multi-token-auth.constants';
import { MultiTokenAuthModule } from '../../multi-token-auth.module';
import type { MultiTokenAuthExtras, MultiTokenAuthOptions } from '../../contracts/multi-token-auth.options';
import { testDatabase, testHasher } from '../../testing/setup.fixture';
import { CreateTestUsers1000000000000, TestUser } from '../../testing/test-user.entity';
import { ClientAccessGuard } from './client-access.guard';
import { MultiTokenAuthGuard } from './multi-token-auth.guard';
import { PassportBearerAuthGuard } from './passport-bearer-auth.guard';

/**
 * Compiles and starts (onApplicationBootstrap included) an HTTP app of `metadata` with the real
 * module: the check runs only where routes are served (see route-policy.check-contexts.spec.ts).
 */
async function boot(
  metadata: ModuleMetadata,
  options: Partial<MultiTokenAuthOptions> & MultiTokenAuthExtras = {},
  database = testDatabase(),
): Promise<void> {
  const module = await Test.createTestingModule({
    imports: [
      database,
      MultiTokenAuthModule.forRoot({
        user: { entity: TestUser },
        passwordHasher: testHasher,
        clients: [{ name: 'web' }, { name: 'mobile' }, { name: 'api', tokenTtl: null }],
        mountControllers: false,
        ...options,
      }),
    ],
    controllers: metadata.controllers ?? [],
    providers: metadata.providers ?? [],
  }).compile();
  const app = module.createNestApplication({ logger: false });
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

@Controller('billing')
@UseGuards(MultiTokenAuthGuard)
class TypoController {
  @AllowClients('wbe')
  @Get()
  billing() {}
}

@Controller('reports')
@UseGuards(MultiTokenAuthGuard)
@DisallowClients('clli')
class ClassTypoController {
  @Get()
  reports() {}
}

@Controller('partner')
@UseGuards(MultiTokenAuthGuard)
class PartnerController {
  @AllowClients('partner')
  @Get()
  partner() {}
}

@Controller('orders')
class UnguardedController {
  @Get('open')
  open() {}

  @AllowClients('web')
  @RequireScopes('orders:read')
  @Get()
  orders() {}
}

@Injectable()
class SubclassGuard extends MultiTokenAuthGuard {}

/** A guard of the app's own that delegates to the library's: the check cannot see that. */
@Injectable()
class DelegatingGuard implements CanActivate {
  constructor(private readonly inner: MultiTokenAuthGuard) {}
  canActivate(...args: Parameters<MultiTokenAuthGuard['canActivate']>) {
    return this.inner.canActivate(...args);
  }
}

const unguardedRoute = (guards: Parameters<typeof UseGuards>) => {
  @Controller('orders')
  @UseGuards(...guards)
  class OrdersController {
    @AllowClients('web')
    @Get()
    orders() {}
  }
  return OrdersController;
};

describe('the start-up route check', () => {
  it("refuses @AllowClients('wbe'): no such client, naming the handler and the known clients", async () => {
    await expect(boot({ controllers: [TypoController] })).rejects.toThrow(
      `multi-token-auth: @AllowClients('wbe') on TypoController.billing(): no client "wbe" in the clients option or the auth_clients table. ` +
        'Known clients: api, mobile, web. Correct the name, add the client to the clients option, or create it (ClientAdmin) before the app starts.',
    );
  });

  it('refuses an unknown client on a controller class, in @DisallowClients too (a typo there lets the client through)', async () => {
    await expect(boot({ controllers: [ClassTypoController] })).rejects.toThrow(
      `@DisallowClients('clli') on ClassTypoController: no client "clli"`,
    );
  });

  it('knows the clients stored in auth_clients (made by the CLI or ClientAdmin), not only the option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mta-route-check-'));
    const database = () =>
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: join(dir, 'app.sqlite'),
        entities: [TestUser, ...multiTokenAuthEntities(TestUser)],
        migrations: [CreateTestUsers1000000000000, ...multiTokenAuthMigrations],
        migrationsRun: true,
      });
    try {
      await expect(boot({ controllers: [PartnerController] }, {}, database())).rejects.toThrow('no client "partner"');
      // A first start whose options have `partner` stores it; the next start, without it in the options, knows it.
      await boot({}, { clients: [{ name: 'web' }, { name: 'partner' }, { name: 'api', tokenTtl: null }] }, database());
      await expect(boot({ controllers: [PartnerController] }, {}, database())).resolves.toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a decorated route that no guard reaches, naming the controller, the handler and the fix', async () => {
    await expect(boot({ controllers: [UnguardedController] })).rejects.toThrow(
      'multi-token-auth: UnguardedController.orders() (http) has @AllowClients, @RequireScopes but no guard on its path ' +
        'enforces them. Guard these with @UseGuards(MultiTokenAuthGuard) on the handler or its class, or pass globalGuard: true',
    );
  });

  it.each<[string, ModuleMetadata, Partial<MultiTokenAuthOptions> & MultiTokenAuthExtras]>([
    ['globalGuard: true', { controllers: [UnguardedController] }, { globalGuard: true }],
    [
      "the app's own APP_GUARD",
      { controllers: [UnguardedController], providers: [{ provide: APP_GUARD, useClass: MultiTokenAuthGuard }] },
      {},
    ],
    ['a subclass of MultiTokenAuthGuard on the class', { controllers: [unguardedRoute([SubclassGuard])] }, {}],
    ['PassportBearerAuthGuard', { controllers: [unguardedRoute([PassportBearerAuthGuard])] }, {}],
    [
      "AuthGuard('multi-token-bearer') followed by ClientAccessGuard",
      { controllers: [unguardedRoute([AuthGuard(MULTI_TOKEN_BEARER), ClientAccessGuard])] },
      {},
    ],
    [
      'a guard of its own listed in routeCheck.guards',
      { controllers: [unguardedRoute([DelegatingGuard])], providers: [DelegatingGuard] },
      { routeCheck: { guards: [DelegatingGuard] } },
    ],
  ])('starts when the route is guarded by %s', async (_case, metadata, options) => {
    await expect(boot(metadata, options)).resolves.toBeUndefined();
  });

  it("refuses AuthGuard('multi-token-bearer') alone: it authenticates, but nothing checks the client", async () => {
    await expect(boot({ controllers: [unguardedRoute([AuthGuard(MULTI_TOKEN_BEARER)])] })).rejects.toThrow(
      'OrdersController.orders() (http) has @AllowClients but no guard on its path enforces it',
    );
  });

  it("refuses @TokenCost behind AuthGuard('multi-token-bearer') alone (it spends 1); a bearer guard is enough", async () => {
    const costly = (guard: Parameters<typeof UseGuards>[0]) => {
      @Controller('reports')
      @UseGuards(guard)
      class ReportsController {
        @TokenCost(10)
        @Get()
        report() {}

        @TokenCost(1)
        @Get('cheap')
        cheap() {}
      }
      return ReportsController;
    };
    await expect(boot({ controllers: [costly(AuthGuard(MULTI_TOKEN_BEARER))] })).rejects.toThrow(
      'ReportsController.report() (http) has @TokenCost but no guard on its path enforces it',
    );
    await expect(boot({ controllers: [costly(PassportBearerAuthGuard)] })).resolves.toBeUndefined();
  });

  it('refuses a guard of its own that is not listed in routeCheck.guards (it cannot be identified)', async () => {
    await expect(
      boot({ controllers: [unguardedRoute([DelegatingGuard])], providers: [DelegatingGuard] }),
    ).rejects.toThrow('the routeCheck.guards option');
  });

  it('leaves @Public() routes and routes without the decorators alone', async () => {
    @Controller()
    class OpenController {
      @Public()
      @AllowClients('web')
      @Get('public')
      open() {}

      @Get('plain')
      plain() {}
    }
    await expect(boot({ controllers: [OpenController] })).resolves.toBeUndefined();
  });

  it('checks GraphQL resolvers (which global guards reach) and gateways (which they never reach)', async () => {
    @Resolver()
    class OrdersResolver {
      @OptionalAuth()
      @Query(() => Boolean)
      hello() {
        return true;
      }
    }
    @WebSocketGateway()
    class OrdersGateway {
      @RequireScopes('orders:write')
      @SubscribeMessage('createOrder')
      createOrder() {}
    }
    await expect(boot({ providers: [OrdersResolver] }, { globalGuard: true })).resolves.toBeUndefined();
    await expect(boot({ providers: [OrdersResolver] })).rejects.toThrow(
      'OrdersResolver.hello() (graphql) has @OptionalAuth but no guard on its path enforces it',
    );
    await expect(boot({ providers: [OrdersGateway] }, { globalGuard: true })).rejects.toThrow(
      'OrdersGateway.createOrder() (websocket) has @RequireScopes but no guard on its path enforces it',
    );
  });
});
