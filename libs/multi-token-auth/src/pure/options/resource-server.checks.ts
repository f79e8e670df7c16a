import type { MultiTokenAuthOptions } from '../../contracts/multi-token-auth.options';
import type { ResourceServerAsyncOptions, ResourceServerOptions } from '../../contracts/resource-server.options';
import { TokenCodec } from '../tokens/token.codec';
import { besideFactoryProblem, extraFromFactoryProblem } from './module-extras';
import {
  checkAll,
  count,
  fail,
  flag,
  HTTPS_OR_LOOPBACK,
  implementing,
  nullable,
  numberBetween,
  OptionError,
  plainObject,
  rate,
  secondsBetween,
  text,
  type Check,
} from './option.checks';

/** What the resource server's own parts read, every default applied. */
export interface ResolvedResourceServer {
  introspectionUrl: string;
  revocationsUrl: string;
  apiKey: string;
  timeoutMs: number;
  cacheMaxEntries: number;
  cacheTtlMs: number;
}

const ANY_HTTP_URL = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;

const url =
  (insecure: boolean): Check =>
  (value, path) => {
    if (typeof value !== 'string' || !(insecure ? ANY_HTTP_URL : HTTPS_OR_LOOPBACK).test(value)) {
      fail(
        `${path} must be an https:// URL (or http:// to 127.0.0.1, localhost or [::1]; another http:// host ` +
          `needs introspection.allowInsecureHttp: true), got ${JSON.stringify(value)}.`,
      );
    }
  };

/**
 * Checks `forResourceServer()`'s options (a mistake fails at start-up with the fix in its message)
 * and splits them: the settings of the guards' own options (built by `resolveOptions` from what
 * `ownerOptions` returns) and the resource server's (`ResolvedResourceServer`).
 */
export function resolveResourceServer(options: ResourceServerOptions): ResolvedResourceServer {
  plainObject(options, 'forResourceServer()');
  if (!options.introspection) fail('forResourceServer() needs introspection: { url, apiKey }.');
  plainObject(options.introspection, 'introspection');
  const insecure = options.introspection.allowInsecureHttp === true;
  checkAll(
    options.introspection,
    { url: url(insecure), apiKey: text, timeout: numberBetween(50, 60_000, 'milliseconds'), allowInsecureHttp: flag },
    'introspection',
  );
  checkAll(
    options,
    {
      revocationsUrl: url(insecure),
      cache: (value, path) => {
        plainObject(value, path);
        checkAll(value as object, { maxEntries: count, ttl: secondsBetween(1, 86_400) }, path);
      },
      clients: (value, path) => {
        if (!Array.isArray(value)) fail(`${path} must be an array of { name, throttleRate }.`);
        (value as unknown[]).forEach((client, index) => {
          plainObject(client, `${path}[${index}]`);
          checkAll(client as object, { name: text, throttleRate: nullable(rate) }, `${path}[${index}]`);
        });
      },
      clock: implementing('now'),
      isGlobal: flag,
      globalGuard: flag,
    },
    'forResourceServer()',
    ['introspection', 'redis', 'defaultThrottleRate', 'apiKeyClient', 'tokenPrefix', 'realm'],
  );
  const { url: introspectionUrl, apiKey } = options.introspection;
  if (introspectionUrl === undefined || apiKey === undefined) {
    fail('forResourceServer() needs introspection: { url, apiKey }.');
  }
  if (!new TokenCodec(options.tokenPrefix ?? 'mta').isWellFormed(apiKey)) {
    fail(
      `introspection.apiKey is not a token of prefix "${options.tokenPrefix ?? 'mta'}": give the owner's API key ` +
        '(holding auth:introspect), and the owner\'s tokenPrefix if it is not "mta".',
    );
  }
  const revocationsUrl = options.revocationsUrl ?? defaultRevocationsUrl(introspectionUrl);
  return {
    introspectionUrl,
    revocationsUrl,
    apiKey,
    timeoutMs: options.introspection.timeout ?? 2000,
    cacheMaxEntries: options.cache?.maxEntries ?? 10_000,
    cacheTtlMs: (options.cache?.ttl ?? 300) * 1000,
  };
}

/** `…/introspect` → `…/revocations`; another URL needs `revocationsUrl` given. */
function defaultRevocationsUrl(introspectionUrl: string): string {
  const parsed = new URL(introspectionUrl);
  if (!/\/introspect\/?$/.test(parsed.pathname)) {
    fail(`introspection.url does not end in /introspect: give revocationsUrl (the owner's GET …/auth/revocations).`);
  }
  parsed.pathname = parsed.pathname.replace(/introspect\/?$/, 'revocations');
  return parsed.toString();
}

/**
 * The guards' own options for a resource server, as `resolveOptions` takes them: its clients (and
 * the API-key client, which must be one), no store, cache, cookies or login of its own.
 */
export function ownerOptions(options: ResourceServerOptions, subject: new () => object): MultiTokenAuthOptions {
  const apiKeyClient = options.apiKeyClient === undefined ? 'api' : options.apiKeyClient;
  const clients = (options.clients ?? []).map(({ name, throttleRate }) => ({ name, throttleRate, tokenTtl: null }));
  if (apiKeyClient !== null && !clients.some((client) => client.name === apiKeyClient)) {
    clients.push({ name: apiKeyClient, throttleRate: undefined, tokenTtl: null });
  }
  return {
    user: { entity: subject, idField: 'id' },
    clients,
    apiKeyClient,
    defaultThrottleRate: options.defaultThrottleRate,
    tokenPrefix: options.tokenPrefix,
    realm: options.realm,
    clock: options.clock,
    redis: options.redis,
    cache: false,
    loginAttempts: false,
    passwordChecks: false,
    credentialRevocation: false,
  };
}

/** The module's shape: given beside `useFactory`, never returned by it. */
const SHAPE_KEYS = ['isGlobal', 'globalGuard'];
const ASYNC_KEYS = ['imports', 'inject', 'useFactory', ...SHAPE_KEYS];
/** `forRootAsync()`'s other ways (Nest's builder): not offered here. */
const OTHER_WAYS = ['useClass', 'useExisting', 'provideInjectionTokensFrom'];
const FIX = 'Check the options passed to MultiTokenAuthModule.forResourceServer() / forResourceServerAsync().';

/** Runs `check`, its refusals pointing at `forResourceServer()` rather than `forRoot()`. */
export function resourceServerChecked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof OptionError) throw new OptionError(error.detail, FIX);
    throw error;
  }
}

/**
 * `forResourceServerAsync()`'s own keys, checked where the module is defined: a factory, what it
 * is given, the module's shape. An option put beside `useFactory` instead of returned by it (or a
 * typo) would be dropped without a word: refused, naming the fix.
 */
export function checkResourceServerAsync(options: ResourceServerAsyncOptions): void {
  plainObject(options, 'forResourceServerAsync()');
  for (const key of Object.keys(options)) {
    if (ASYNC_KEYS.includes(key)) continue;
    if (OTHER_WAYS.includes(key)) {
      fail(
        `forResourceServerAsync() takes useFactory, not ${key}: with a class F of yours, ` +
          'useFactory: (f: F) => f.create(), inject: [F] (F provided by a module in imports).',
      );
    }
    fail(besideFactoryProblem('forResourceServerAsync', key, ASYNC_KEYS.join(', ')));
  }
  if (typeof options.useFactory !== 'function') {
    fail('forResourceServerAsync() needs useFactory: a function returning the options of forResourceServer().');
  }
  checkAll({ isGlobal: options.isGlobal, globalGuard: options.globalGuard }, { isGlobal: flag, globalGuard: flag }, '');
}

/**
 * What a `forResourceServerAsync()` factory returned, refused at start-up if it is not an object
 * or holds the module's shape: Nest fixes a module's global guard and scope when the module is
 * defined, before any factory runs; honouring it there would mean silently ignoring it (every
 * route unguarded).
 */
export function resourceServerFromFactory(options: unknown): ResourceServerOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(
      `the forResourceServerAsync() factory returned ${options === null ? 'null' : typeof options}, ` +
        'not the options object (a missing return?).',
    );
  }
  for (const key of SHAPE_KEYS) {
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    fail(extraFromFactoryProblem(key, 'forResourceServerAsync', 'global guard and scope are'));
  }
  return options as ResourceServerOptions;
}
