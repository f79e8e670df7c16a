import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
import { Clock } from './contracts/clock/clock.interface';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE, RESOLVED_OPTIONS } from './contracts/multi-token-auth.constants';
import type { ResourceServerAsyncOptions, ResourceServerOptions } from './contracts/resource-server.options';
import {
  checkResourceServerAsync,
  resourceServerChecked,
  resourceServerFromFactory,
} from './pure/options/resource-server.checks';
import { TokenCodec } from './pure/tokens/token.codec';
import { RESOURCE_SERVER_GUARDS, RESOURCE_SERVER_OPTIONS, resourceServerProviders } from './resource-server.providers';
import { RemoteTokenVerifier } from './services/remote/remote-token.verifier';
import { TokenVerifier } from './services/tokens/token.verifier';

/**
 * The module `MultiTokenAuthModule.forResourceServer()` returns: the library's guards and
 * decorators in a service without the token database (see `ResourceServerOptions`).
 */
@Module({})
export class MultiTokenAuthResourceServerModule {
  static register(options: ResourceServerOptions): DynamicModule {
    return definition({ provide: RESOURCE_SERVER_OPTIONS, useValue: options }, options ?? {}, []);
  }

  static registerAsync(options: ResourceServerAsyncOptions): DynamicModule {
    resourceServerChecked(() => checkResourceServerAsync(options));
    const fromFactory: Provider<ResourceServerOptions> = {
      provide: RESOURCE_SERVER_OPTIONS,
      useFactory: async (...args: unknown[]) => {
        const given: unknown = await options.useFactory(...args);
        return resourceServerChecked(() => resourceServerFromFactory(given));
      },
      inject: options.inject ?? [],
    };
    return definition(fromFactory, options, options.imports ?? []);
  }
}

/** The module around its options' provider; its shape (`isGlobal`, `globalGuard`) is fixed here. */
function definition(
  options: Provider<ResourceServerOptions>,
  shape: { isGlobal?: boolean | undefined; globalGuard?: boolean | undefined },
  imports: NonNullable<ModuleMetadata['imports']>,
): DynamicModule {
  const globalGuard: Provider[] = shape.globalGuard ? [{ provide: APP_GUARD, useExisting: MultiTokenAuthGuard }] : [];
  return {
    module: MultiTokenAuthResourceServerModule,
    global: shape.isGlobal ?? true,
    imports,
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
