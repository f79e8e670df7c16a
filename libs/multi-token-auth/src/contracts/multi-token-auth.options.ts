import type { CanActivate, Type } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Clock } from './clock/clock.interface';
import type { PasswordHasher } from './password-hasher.interface';
import type { TokenStore } from './token-store.interface';
import type { TokenCache } from './token-cache.interface';
import type { AuthEventSink } from './events/auth-event-sink.interface';
import type { RedisConnection } from './revocation-bus.interface';
import type { LoginAttemptStore } from './login-attempt-store.interface';
import type { ClientDefinition } from './client.options';
import type { CredentialRevocationOptions, SecretScanningOptions } from './leaked-token.options';
import type { LegacyTokenOptions } from './legacy-token.options';
import type { Settable } from './settable';
import type { UserOptions } from './user.options';
import type { PasswordCheckLimits } from './password-check.options';

export type { ClientDefinition } from './client.options';
export type { LegacyTokenFormat, LegacyTokenOptions } from './legacy-token.options';
export type { Settable } from './settable';
export type { UserOptions } from './user.options';

/** The purge of expired tokens (docs/operations.md, "Cleanup"). */
export interface PurgeOptions {
  /**
   * Seconds an expired token is kept before a purge deletes it, for auditing; it is refused all the
   * same (and its name stays taken until it goes). Default 0.
   */
  retention?: number | undefined;
  /** Tokens deleted per statement, each its own short transaction. Default 1000. */
  batchSize?: number | undefined;
  /**
   * A cron expression (`'0 * * * *'`: hourly) for a scheduled purge through @nestjs/schedule; the
   * app installs it and imports `ScheduleModule.forRoot()`. Default `null`: no schedule.
   */
  cron?: string | null | undefined;
}

/** The cookie transport's settings (for clients with `cookie: true`). */
export interface CookieOptions {
  /** Cookie name; `__Host-` is put in front while `secure`. Default `'mta'`. */
  name?: string | undefined;
  /** `Secure` cookies (HTTPS only). Turn off only to try the demo over plain HTTP on another host. Default `true`. */
  secure?: boolean | undefined;
  /** `SameSite`. Default `'lax'`. */
  sameSite?: 'lax' | 'strict' | undefined;
}

/** The verified-token cache (docs/architecture.md, "Verified-token cache"). */
export interface CacheOptions {
  /**
   * Longest time, in **seconds**, a verified token is served from memory after it was read.
   * Revocations (on any instance, by any program: the revocation journal) and changes to users made
   * through TypeORM evict within 1 s; this bounds only what neither sees (raw SQL on the users
   * table, raw SQL editing a token without deleting it or shortening its expiry). Default 60.
   */
  ttl?: number | undefined;
  /** Most tokens held; the least recently used is dropped first. Default 10 000. */
  maxEntries?: number | undefined;
  /** Another cache implementation. Default: `InMemoryTokenCache`, an LRU in this process. */
  store?: TokenCache | undefined;
}

/** Revocations shared between instances through Redis (docs/operations.md, "Several instances"). */
export interface RedisOptions {
  /** `redis://…` URL; the library opens two connections with ioredis (install it). */
  url?: string | undefined;
  /** Or your own ioredis client: the library uses two duplicates of it, never the client itself. */
  client?: RedisConnection | undefined;
  /** Pub/sub channel. Default `'multi-token-auth:revocations'`. */
  channel?: string | undefined;
}

/** Limits on password attempts (docs/security.md, "Password guessing is slow and bounded"). */
export interface LoginAttemptOptions {
  /** Attempts per username and IP, `"N/unit"` or `"N/<count><unit>"`. Default `"10/15m"`; `null` = no limit. */
  perUserAndIp?: string | null | undefined;
  /** Attempts per IP, whatever the username. Default `"100/15m"`; `null` = no limit. */
  perIp?: string | null | undefined;
  /** Where attempts are counted. Default: Redis when the `redis` option is set, else this process's memory. */
  store?: LoginAttemptStore | undefined;
}

/** The start-up check of the app's routes (docs/guards-and-decorators.md, "Routes checked at start-up"). */
export interface RouteCheckOptions {
  /**
   * Guards of your own that enforce every library decorator (`@AllowClients`, `@RequireScopes`,
   * `@ClientRateLimit`, `@OptionalAuth`…), for instance by delegating to `MultiTokenAuthGuard`; the
   * check cannot tell that by itself. Subclasses of `MultiTokenAuthGuard` and `PassportBearerAuthGuard`
   * need no listing. Default: none.
   */
  guards?: Type<CanActivate>[] | undefined;
}

/** What to do when a login would exceed `maxTokensPerUser` or `tokenLimitPerUser`. */
export type TokenLimitPolicy = 'revoke-oldest' | 'reject';

export interface MultiTokenAuthOptions {
  /** The app's user entity and how to read it. Required. */
  user: UserOptions;
  /** Token prefix, 2–16 lower-case letters or digits, starting with a letter. Default `'mta'`. */
  tokenPrefix?: string | undefined;
  /** Realm sent in `WWW-Authenticate`. Default `'api'`. */
  realm?: string | undefined;
  /** Token lifetime in **seconds** for clients without their own `tokenTtl`. Default 86400 (1 day). */
  defaultTokenTtl?: number | null | undefined;
  /**
   * Clients created or updated at start-up (the list is the source of truth for their settings).
   * Default: `default` (with `defaultTokenTtl`) and `api` (no expiry, for API keys).
   */
  clients?: ClientDefinition[] | undefined;
  /** Least time between two `lastUsedAt` writes of one token, in **seconds**. Default 60. */
  lastUsedUpdateInterval?: number | undefined;
  /** Most unexpired tokens one user may hold across all clients; `null` (default) means no limit. */
  tokenLimitPerUser?: number | null | undefined;
  /** Policy when a token limit is reached. Default `'revoke-oldest'`. */
  tokenLimitPolicy?: TokenLimitPolicy | undefined;
  /** Rate for clients without a `throttleRate`, like `"100/m"`; `null` (default) means unlimited. */
  defaultThrottleRate?: string | null | undefined;
  /**
   * Where tokens are stored. Default: `TypeOrmTokenStore`, the `auth_tokens` table of the app's
   * TypeORM data source (PostgreSQL or SQLite). Another store must pass `describeTokenStore()`.
   */
  tokenStore?: TokenStore | undefined;
  /**
   * Verified-token cache, on by default: a valid token is checked against memory instead of the
   * database, and every revocation evicts it first. `false` turns it off (every request queries
   * the store). Several instances must share revocations through Redis, or turn it off.
   */
  cache?: CacheOptions | false | undefined;
  /**
   * Share revocations with the app's other instances through Redis pub/sub, so a token revoked on
   * one is refused by every other within milliseconds; an instance that cannot hear Redis stops
   * using its cache. Default: none (one instance, or `cache: false`).
   */
  redis?: RedisOptions | undefined;
  /** Storage of rate-limit counters. Default: @nestjs/throttler's in-memory storage. */
  throttlerStorage?: ThrottlerStorage | undefined;
  /** Client on which API keys are issued; it must be in `clients`. `null` disables API keys. Default `'api'`. */
  apiKeyClient?: string | null | undefined;
  /** Most unexpired API keys one user may hold; past it creating one is a 403 (none is revoked). Default 100. */
  maxApiKeysPerUser?: number | null | undefined;
  /**
   * Creating an API key needs the account's password (`password` in the body), unless the session
   * making the request signed in less than this many **seconds** ago. Default `null`: always.
   */
  recentLoginWindow?: number | null | undefined;
  /** Whether `POST /auth/logout-all` also ends the user's API keys. Default `true`. */
  logoutAllRevokesApiKeys?: boolean | undefined;
  /**
   * Password attempts (login, and every check of the current password through `CredentialsVerifier`)
   * limited per username+IP and per IP; past a limit, 429 with `Retry-After`, even for the right
   * password. `false` turns it off.
   */
  loginAttempts?: LoginAttemptOptions | false | undefined;
  /**
   * Bounds concurrent password hashing and queues the rest fairly per client (IP), so a flood of
   * junk logins cannot starve real ones. `false` turns it off.
   */
  passwordChecks?: Settable<PasswordCheckLimits> | false | undefined;
  /** Name and attributes of the session cookie, for clients with `cookie: true`. */
  cookies?: CookieOptions | undefined;
  /** Retention, batch size and schedule of the purge of expired tokens. */
  purge?: PurgeOptions | undefined;
  /**
   * Accepts tokens imported from another system (`TokenService.importLegacyTokens`), which have
   * neither this library's prefix nor its checksum. `null` (default): only the library's own format
   * reaches the database.
   */
  legacyTokens?: LegacyTokenOptions | null | undefined;
  /**
   * Receives GitHub's secret-scanning reports at `POST /auth/leaked-tokens` and revokes the tokens
   * they name. `null` (default): that route answers 404 `secret_scanning_disabled`. Needs the app
   * created with `rawBody: true` (the signature covers the bytes GitHub sent).
   */
  secretScanning?: SecretScanningOptions | null | undefined;
  /**
   * `POST /auth/credentials/revoke`, where anyone holding tokens has them revoked (at most 1 000 a
   * request). `false`: that route answers 404 `credential_revocation_disabled`. Default `{ perIp: '60/h' }`.
   */
  credentialRevocation?: CredentialRevocationOptions | false | undefined;
  /**
   * Seconds between two background re-checks of every open socket and subscription connection
   * (expiry, idle timeout, changes nothing announces), 1 to 86400. With the cache on, revocations
   * through the library close them at once whatever this is; with `cache: false` nothing announces
   * them, and this bounds how long an idle connection outlives its token. Default 60.
   */
  connectionRecheckInterval?: number | undefined;
  /**
   * Longest a request waits on the database, in **seconds** (fractions allowed, 0.01 to 600): the
   * wait for a pool connection, for the user's lock and for every query the library runs (token
   * lookups, issue and revocation sections, the user lookup at login, client reloads). Past it the
   * request answers `503 auth_unavailable`, as when the database is down, and a section still
   * running is rolled back instead of committed. On PostgreSQL the library's transactions also set
   * `statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout` to it. A
   * `tokenStore` of your own bounds its own calls. Default 5.
   */
  databaseTimeout?: number | undefined;
  /**
   * Where the library's events go (`token.created`, `token.revoked`…; see docs/operations.md, "Events").
   * Default: the app's `EventEmitter2` when it imports @nestjs/event-emitter's `EventEmitterModule`,
   * else nowhere. Another sink's `emit` must return at once (queue slow work); what it throws is logged.
   */
  eventSink?: AuthEventSink | undefined;
  /** Hashes and verifies passwords. Default: scrypt (`ScryptPasswordHasher`). */
  passwordHasher?: PasswordHasher | undefined;
  /** Source of the current time (tests pass a `ManualClock`). Default: the system clock. */
  clock?: Clock | undefined;
  /**
   * At start-up every `@AllowClients` / `@DisallowClients` name must be a known client, and every
   * handler with the library's decorators must be reached by a guard that enforces them; else the
   * app does not start. `guards` lists your own guards that do.
   */
  routeCheck?: RouteCheckOptions | undefined;
}

/**
 * Options that shape the module definition itself: in `forRoot()`'s object, and beside `useFactory`
 * in `forRootAsync()` (a factory runs too late for them; returned by it, they fail start-up).
 */
export interface MultiTokenAuthExtras {
  /**
   * Register the module globally, so `@UseGuards(MultiTokenAuthGuard)`, `TokenService` and the other
   * exports work in every module of the app without importing this one again (as with
   * `ThrottlerModule` and TypeORM's data source). Default `true`.
   */
  isGlobal?: boolean | undefined;
  /** Path prefix of the built-in controllers. Default `'auth'`. */
  routePrefix?: string | undefined;
  /** Mount the built-in controllers (login, logout, sessions, API keys). Default `true`. */
  mountControllers?: boolean | undefined;
  /** Guard every route with `MultiTokenAuthGuard`; opt out per route with `@Public()`. Default `false`. */
  globalGuard?: boolean | undefined;
}
