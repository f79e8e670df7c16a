import { Controller, Get, Injectable, Module } from '@nestjs/common';
import {
  CurrentToken,
  CurrentUser,
  IntrospectedUser,
  MultiTokenAuthModule,
  RequireScopes,
  type AuthToken,
  type ResourceServerOptions,
} from 'nestjs-multi-token-auth';

/** Another service's routes, on the tokens of the app above, verified by its introspection. */
@Controller('orders')
export class OrdersController {
  @RequireScopes('orders:read')
  @Get()
  list(@CurrentUser() user: IntrospectedUser, @CurrentToken() token: AuthToken): Record<string, unknown> {
    return { user: user.id, username: user.username, client: token.client.name, expiresAt: token.expiresAt };
  }
}

/**
 * The resource-server mode as a second app would configure it (compiled here, under the strictest
 * settings, against the installed package's declarations; not started).
 */
export function ordersServiceModule(env: Record<string, string | undefined>) {
  const options: ResourceServerOptions = {
    introspection: {
      url: `${env.OWNER_URL ?? 'http://127.0.0.1:3000'}/auth/introspect`,
      apiKey: env.SERVICE_API_KEY ?? '',
    },
    redis: env.REDIS_URL ? { url: env.REDIS_URL } : undefined,
    clients: [{ name: 'mobile', throttleRate: '30/m' }],
    defaultThrottleRate: null,
    globalGuard: true,
  };
  @Module({ imports: [MultiTokenAuthModule.forResourceServer(options)], controllers: [OrdersController] })
  class OrdersServiceModule {}
  return OrdersServiceModule;
}

/** The app's own settings provider, as a config service would be. */
@Injectable()
export class OwnerSettings {
  readonly url = process.env.OWNER_URL ?? 'http://127.0.0.1:3000';
  readonly apiKey = process.env.SERVICE_API_KEY ?? '';
}

@Module({ providers: [OwnerSettings], exports: [OwnerSettings] })
export class OwnerSettingsModule {}

/** The same service with its options from a provider (`forResourceServerAsync`), its shape beside. */
@Module({
  imports: [
    MultiTokenAuthModule.forResourceServerAsync({
      imports: [OwnerSettingsModule],
      inject: [OwnerSettings],
      useFactory: async (settings: OwnerSettings): Promise<ResourceServerOptions> => ({
        introspection: { url: `${settings.url}/auth/introspect`, apiKey: settings.apiKey },
        clients: [{ name: 'mobile', throttleRate: '30/m' }],
      }),
      globalGuard: true,
    }),
  ],
  controllers: [OrdersController],
})
export class OrdersServiceAsyncModule {}
