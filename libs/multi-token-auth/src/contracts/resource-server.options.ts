import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { Clock } from './clock/clock.interface';
import type { RedisOptions } from './multi-token-auth.options';

/** Where a resource server asks about tokens: the owning app's RFC 7662 route. */
export interface IntrospectionOptions {
  /** The owner's `POST …/auth/introspect`, like `https://accounts.internal/auth/introspect`. */
  url: string;
  /**
   * An API key of the owner's whose scopes name `auth:introspect` (granted by name: its client
   * declares it). It also reads the owner's revocation feed. Never logged.
   */
  apiKey: string;
  /** Longest an introspection (or a feed read) may take, in **milliseconds**. Default 2000. */
  timeout?: number | undefined;
  /**
   * `http://` to another machine: only on a network you trust (a service mesh with its own TLS).
   * Default `false`: `https://`, or `http://` to this machine only (the key and tokens cross it).
   */
  allowInsecureHttp?: boolean | undefined;
}

/** A client as the resource server sees it: its name (the owner's) and this service's own limit for it. */
export interface ResourceServerClient {
  /** The owner's client name, as introspection's `client_id` gives it. */
  name: string;
  /** Per user+client rate of `@ClientRateLimit()` routes here, like `"100/m"`. Default `defaultThrottleRate`. */
  throttleRate?: string | null | undefined;
}

/**
 * `MultiTokenAuthModule.forResourceServer()`: the same guards and decorators in an app without the
 * token database, verifying tokens by introspection against the app that owns them.
 */
export interface ResourceServerOptions {
  /** Where and with which key this service asks the owner about a token. */
  introspection: IntrospectionOptions;
  /**
   * The owner's revocation feed (`GET …/auth/revocations`), polled every 200 ms: cached tokens are
   * used only while it answers (the durable bound, ≤ 1 s). Default: `introspection.url` with its
   * last segment `introspect` replaced by `revocations`.
   */
  revocationsUrl?: string | undefined;
  /**
   * The owner's Redis: revocations arrive in milliseconds through its pub/sub channel (the same
   * `channel` as the owner's), and per user+client rate limits are counted there across this
   * service's instances. Default: none (the feed alone; counters in memory).
   */
  redis?: RedisOptions | undefined;
  /** Rate limits of this service per client name. Default: none (only `defaultThrottleRate`). */
  clients?: ResourceServerClient[] | undefined;
  /** Rate for clients not listed, like `"100/m"`; `null` (default) means unlimited. */
  defaultThrottleRate?: string | null | undefined;
  /** The owner's `apiKeyClient`, for `@DisallowApiKeys()`. Default `'api'`. */
  apiKeyClient?: string | null | undefined;
  /** The owner's `tokenPrefix`: a value of another shape is refused with no network call. Default `'mta'`. */
  tokenPrefix?: string | undefined;
  /** Realm sent in `WWW-Authenticate`. Default `'api'`. */
  realm?: string | undefined;
  /** Verified tokens held: most entries, and longest an entry is kept in **seconds**. Default 10 000 and 300. */
  cache?: { maxEntries?: number | undefined; ttl?: number | undefined } | undefined;
  /** Time source for expiry checks. Default: the system clock. */
  clock?: Clock | undefined;
  /** Whether the module is global. Default `true`. */
  isGlobal?: boolean | undefined;
  /** Registers `MultiTokenAuthGuard` as a global guard (`@Public()` opts a route out). Default `false`. */
  globalGuard?: boolean | undefined;
}

/**
 * `MultiTokenAuthModule.forResourceServerAsync()`: the options from other providers (a config
 * service, a secret store), as `forRootAsync()` takes them. The module's shape (`isGlobal`,
 * `globalGuard`) goes beside `useFactory`: it is fixed before any factory runs.
 */
export interface ResourceServerAsyncOptions {
  /** Modules whose providers `inject` names. */
  imports?: ModuleMetadata['imports'];
  /** What `useFactory` is given, in order. */
  inject?: FactoryProvider['inject'];
  /**
   * Returns the options of `forResourceServer()` without `isGlobal` and `globalGuard` (they go
   * beside it), or a promise of them; given what `inject` names, in order. Annotate its parameters
   * (`(config: ConfigService) => …`): `inject` carries no types.
   */
  useFactory(
    ...args: unknown[]
  ):
    | Omit<ResourceServerOptions, 'isGlobal' | 'globalGuard'>
    | Promise<Omit<ResourceServerOptions, 'isGlobal' | 'globalGuard'>>;
  /** Whether the module is global. Default `true`. */
  isGlobal?: boolean | undefined;
  /** Registers `MultiTokenAuthGuard` as a global guard (`@Public()` opts a route out). Default `false`. */
  globalGuard?: boolean | undefined;
}
