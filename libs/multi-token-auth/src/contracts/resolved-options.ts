import type {
  CacheOptions,
  ClientDefinition,
  CookieOptions,
  LoginAttemptOptions,
  MultiTokenAuthOptions,
  PurgeOptions,
  RouteCheckOptions,
  UserOptions,
} from './multi-token-auth.options';
import type { PasswordCheckLimits } from './password-check.options';
import type { CredentialRevocationOptions, SecretScanningOptions } from './leaked-token.options';

/** Options with every default applied and every value checked; built once at start-up. */
export type ResolvedOptions = Required<
  Omit<
    MultiTokenAuthOptions,
    | 'user'
    | 'throttlerStorage'
    | 'tokenStore'
    | 'eventSink'
    | 'clients'
    | 'cache'
    | 'redis'
    | 'loginAttempts'
    | 'passwordChecks'
    | 'cookies'
    | 'purge'
    | 'routeCheck'
    | 'secretScanning'
    | 'credentialRevocation'
  >
> &
  Pick<MultiTokenAuthOptions, 'throttlerStorage' | 'tokenStore' | 'redis' | 'eventSink'> & {
    cache: false | (Required<Omit<CacheOptions, 'store'>> & Pick<CacheOptions, 'store'>);
    loginAttempts: false | (Required<Omit<LoginAttemptOptions, 'store'>> & Pick<LoginAttemptOptions, 'store'>);
    passwordChecks: false | PasswordCheckLimits;
    cookies: Required<CookieOptions>;
    purge: Required<PurgeOptions>;
    routeCheck: Required<RouteCheckOptions>;
    secretScanning: Required<SecretScanningOptions> | null;
    credentialRevocation: Required<CredentialRevocationOptions> | false;
    user: Required<UserOptions>;
    clients: Required<ClientDefinition>[];
  };
