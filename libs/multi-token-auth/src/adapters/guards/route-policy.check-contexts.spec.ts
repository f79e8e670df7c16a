import { Controller, Get, Injectable, Logger, Module, type CanActivate, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { AllowClients } from '../../pure/decorators/allow-clients.decorator';
import { RequireScopes } from '../../pure/decorators/require-scopes.decorator';
import { MultiTokenAuthModule } from '../../multi-token-auth.module';
import type { MultiTokenAuthOptions } from '../../contracts/multi-token-auth.options';
import { ClientAdmin } from '../../services/clients/client.admin';
import { testDatabase, testHasher } from '../../testing/setup.fixture';
import { TestUser } from '../../testing/test-user.entity';
import { MultiTokenAuthGuard } from './multi-token-auth.guard';

/** A route naming a client that no option or row has yet, and needing scopes, with no guard on its path. */
@Controller('partner')
class PartnerController {
  @AllowClients('partner')
  @RequireScopes('orders:read')
  @Get()
  partner() {}
}

/** A route naming a known client, with no guard of its own: only a global guard can enforce it. */
@Controller('orders')
class OrdersController {
  @AllowClients('web')
  @Get()
  orders() {}
}

/** A guard of the app's own that delegates to the library's: the check cannot see that. */
@Injectable()
class DelegatingGuard implements CanActivate {
  constructor(private readonly inner: MultiTokenAuthGuard) {}
  canActivate(...args: Parameters<MultiTokenAuthGuard['canActivate']>) {
    return this.inner.canActivate(...args);
  }
}

function appModule(controllers: Type[], options: Partial<MultiTokenAuthOptions> = {}): Type {
  @Module({
    imports: [
      testDatabase(),
      MultiTokenAuthModule.forRoot({
        user: { entity: TestUser },
        passwordHasher: testHasher,
        clients: [{ name: 'web' }, { name: 'api', tokenTtl: null }],
        mountControllers: false,
        ...options,
      }),
    ],
    controllers,
    providers: [DelegatingGuard],
  })
  class AppModule {}
  return AppModule;
}

describe('the start-up route check without an HTTP adapter (NestFactory.createApplicationContext)', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('starts, as the legacy import or a ClientAdmin script must, warning about the client a route names', async () => {
    const context = await NestFactory.createApplicationContext(appModule([PartnerController]), { logger: false });
    try {
      // The tool can now create the client the app's route names.
      await context.get(ClientAdmin).create({ name: 'partner' });
      expect((await context.get(ClientAdmin).list()).map((client) => client.name)).toContain('partner');
    } finally {
      await context.close();
    }
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      expect.stringMatching(
        /^@AllowClients\('partner'\) on PartnerController\.partner\(\): no client "partner" .* Started without an HTTP adapter/,
      ),
    ]);
  });

  it('a testing module started with init() alone is such a context too; its HTTP app still refuses', async () => {
    const module = await Test.createTestingModule({ imports: [appModule([PartnerController])] }).compile();
    await module.init();
    const app = module.createNestApplication({ logger: false });
    await expect(app.init()).rejects.toThrow(
      /no client "partner".*PartnerController\.partner\(\) \(http\) has @AllowClients, @RequireScopes but no guard/,
    );
    await module.close();
  });
});

describe('global guards added with app.useGlobalGuards() (before init, as main.ts does)', () => {
  async function start(guards: (app: { get<T>(type: Type<T>): T }) => CanActivate[], options = {}) {
    const module = await Test.createTestingModule({ imports: [appModule([OrdersController], options)] }).compile();
    const app = module.createNestApplication({ logger: false });
    app.useGlobalGuards(...guards(app));
    try {
      await app.init();
    } finally {
      await app.close();
    }
  }

  it('MultiTokenAuthGuard there enforces every decorator: the app starts', async () => {
    await expect(start((app) => [app.get(MultiTokenAuthGuard)])).resolves.toBeUndefined();
  });

  it('a guard of its own there counts once listed in routeCheck.guards, and is refused until then', async () => {
    await expect(start((app) => [app.get(DelegatingGuard)])).rejects.toThrow(
      'OrdersController.orders() (http) has @AllowClients but no guard on its path enforces it',
    );
    await expect(
      start((app) => [app.get(DelegatingGuard)], { routeCheck: { guards: [DelegatingGuard] } }),
    ).resolves.toBeUndefined();
  });

  it('without one the route is still refused', async () => {
    await expect(start(() => [])).rejects.toThrow('OrdersController.orders() (http) has @AllowClients but no guard');
  });
});
