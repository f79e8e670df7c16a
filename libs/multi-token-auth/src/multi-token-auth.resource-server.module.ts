import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
import { Clock } from './contracts/clock/clock.interface';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE, RESOLVED_OPTIONS } from './contracts/multi-token-auth.constants';
import type { ResourceServerOptions } from './contracts/resource-server.options';
import { TokenCodec } from './pure/tokens/token.codec';
import { RESOURCE_SERVER_GUARDS, resourceServerProviders } from './resource-server.providers';
import { RemoteTokenVerifier } from './services/remote/remote-token.verifier';
import { TokenVerifier } from './services/tokens/token.verifier';

/**
 * The module `MultiTokenAuthModule.forResourceServer()` returns: the library's guards and
 * decorators in a service without the token database (see `ResourceServerOptions`).
 */
@Module({})
export class MultiTokenAuthResourceServerModule {
  static register(options: ResourceServerOptions): DynamicModule {
    const globalGuard: Provider[] = options?.globalGuard
      ? [{ provide: APP_GUARD, useExisting: MultiTokenAuthGuard }]
      : [];
    return {
      module: MultiTokenAuthResourceServerModule,
      global: options?.isGlobal ?? true,
      providers: [...resourceServerProviders(options), ...globalGuard],
      exports: [
        RESOLVED_OPTIONS,
        MULTI_TOKEN_AUTH_THROTTLER_STORAGE,
        Clock,
        TokenCodec,
        TokenVerifier,
        RemoteTokenVerifier,
        ...RESOURCE_SERVER_GUARDS,
      ],
    };
  }
}
