import { ConfigurableModuleBuilder, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysController } from './adapters/controllers/api-keys.controller';
import { ApiKeyUsageController } from './adapters/controllers/api-key-usage.controller';
import { AuthController } from './adapters/controllers/auth.controller';
import { prefixedController } from './adapters/controllers/prefixed-controller';
import { SessionsController } from './adapters/controllers/sessions.controller';
import { TokenEndpointsController } from './adapters/controllers/token-endpoints.controller';
import { LeakedTokensController } from './adapters/controllers/leaked-tokens.controller';
import { RevocationFeedController } from './adapters/controllers/revocation-feed.controller';
import { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
import type { MultiTokenAuthExtras, MultiTokenAuthOptions } from './contracts/multi-token-auth.options';
import { resolveExtras } from './pure/options/module-extras';

const BUILT_IN_CONTROLLERS: Type<object>[] = [
  AuthController,
  SessionsController,
  ApiKeysController,
  ApiKeyUsageController,
  TokenEndpointsController,
  LeakedTokensController,
  RevocationFeedController,
];

export const DEFAULT_EXTRAS: Required<MultiTokenAuthExtras> = {
  isGlobal: true,
  routePrefix: 'auth',
  mountControllers: true,
  globalGuard: false,
};

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: MULTI_TOKEN_AUTH_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MultiTokenAuthOptions>({ moduleName: 'MultiTokenAuth' })
  .setClassMethodName('forRoot')
  .setExtras<MultiTokenAuthExtras>(DEFAULT_EXTRAS, (definition, given) => {
    // Nest spreads what it was given over the defaults, so an `undefined` setting would replace one.
    const extras = resolveExtras(given, DEFAULT_EXTRAS);
    const globalGuard: Provider[] = extras.globalGuard
      ? [{ provide: APP_GUARD, useExisting: MultiTokenAuthGuard }]
      : [];
    return {
      ...definition,
      global: extras.isGlobal,
      controllers: extras.mountControllers
        ? BUILT_IN_CONTROLLERS.map((controller) => prefixedController(controller, extras.routePrefix))
        : [],
      providers: [...(definition.providers ?? []), ...globalGuard],
    };
  })
  .build();
