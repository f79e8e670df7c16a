import type {
  CacheOptions,
  ClientDefinition,
  CookieOptions,
  LegacyTokenOptions,
  LoginAttemptOptions,
  MultiTokenAuthOptions,
  PurgeOptions,
  RedisOptions,
  RouteCheckOptions,
  UserOptions,
} from '../../contracts/multi-token-auth.options';
import {
  checkAll,
  clientSeconds,
  count,
  fail,
  flag,
  implementing,
  matching,
  nullable,
  oneOf,
  plainObject,
  positiveSeconds,
  rate,
  seconds,
  secondsBetween,
  text,
  type Check,
} from './option.checks';
import { scopesProblem } from '../scopes/scope-set';
import { MAX_PURGE_BATCH, MAX_RETENTION } from './purge-limits';
import { legacyFormatProblem } from '../tokens/legacy-token.format';
import { EXTRA_KEYS, extraFromFactoryProblem } from './module-extras';
import type { PasswordCheckLimits } from '../../contracts/password-check.options';
import { LEAK_OPTION_CHECKS } from './leak-options.checks';
import { TOKEN_STORE_METHODS } from '../../contracts/token-store.interface';

function scopeList(value: unknown, path: string): void {
  const problem = scopesProblem(value, path);
  if (problem) fail(`${problem}.`);
}

const CACHE_METHODS = ['get', 'set', 'evict', 'evictUser', 'clear'];

const LEGACY_TOKEN_CHECKS: Record<keyof LegacyTokenOptions, Check> = {
  format: (value, path) => {
    const problem = legacyFormatProblem(value);
    if (problem) fail(`${path}: ${problem}.`);
  },
  client: text,
  scheme: (value, path) => {
    const word = typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_-]{0,19}$/.test(value);
    if (!word || value.toLowerCase() === 'bearer' || value.toLowerCase() === 'basic') {
      fail(`${path} must be a scheme word such as Token (letters, digits, _ or -), not Bearer or Basic.`);
    }
  },
};

export const CLIENT_CHECKS: Record<keyof ClientDefinition, Check> = {
  name: matching(/^[a-z0-9_-]{1,50}$/, '1-50 characters of a-z, 0-9, _ and -'),
  tokenTtl: nullable(clientSeconds),
  maxTokensPerUser: nullable(count),
  throttleRate: nullable(rate),
  idleTimeout: nullable((value, path) => {
    clientSeconds(value, path);
    if ((value as number) < 2) fail(`${path} must be at least 2 seconds, got ${String(value)}.`);
  }),
  absoluteLifetime: nullable(clientSeconds),
  cookie: flag,
  rotateOnRefresh: flag,
  rotationGrace: secondsBetween(0, 300),
  scopes: nullable(scopeList),
  defaultScopes: nullable(scopeList),
};

const OPTION_CHECKS: Record<keyof MultiTokenAuthOptions, Check> = {
  user: (value, path) => {
    plainObject(value, path);
    checkAll(value as object, USER_CHECKS, path);
  },
  tokenPrefix: matching(/^[a-z][a-z0-9]{1,15}$/, '2-16 lower-case letters or digits starting with a letter'),
  realm: matching(/^[\x20\x21\x23-\x7e]+$/, 'printable ASCII without double quotes'),
  defaultTokenTtl: nullable(count),
  clients: (value, path) => {
    if (!Array.isArray(value)) fail(`${path} must be an array of clients.`);
    value.forEach((client: unknown, index) => {
      plainObject(client, `${path}[${index}]`);
      checkAll(client as object, CLIENT_CHECKS, `${path}[${index}]`);
      if ((client as ClientDefinition).name === undefined) fail(`${path}[${index}].name is required.`);
    });
  },
  lastUsedUpdateInterval: seconds,
  tokenLimitPerUser: nullable(count),
  tokenLimitPolicy: oneOf('revoke-oldest', 'reject'),
  defaultThrottleRate: nullable(rate),
  tokenStore: implementing(...TOKEN_STORE_METHODS),
  cache: (value, path) => {
    if (value === false) return;
    plainObject(value, path);
    checkAll(value as object, CACHE_CHECKS, path);
  },
  redis: (value, path) => {
    plainObject(value, path);
    checkAll(value as object, REDIS_CHECKS, path);
    const { url, client } = value as RedisOptions;
    if ((url === undefined) === (client === undefined)) fail(`${path} needs exactly one of url and client.`);
  },
  throttlerStorage: implementing('increment'),
  eventSink: implementing('emit'),
  apiKeyClient: nullable(text),
  maxApiKeysPerUser: nullable(count),
  recentLoginWindow: nullable(positiveSeconds),
  logoutAllRevokesApiKeys: flag,
  loginAttempts: (value, path) => {
    if (value === false) return;
    plainObject(value, path);
    checkAll(value as object, LOGIN_ATTEMPT_CHECKS, path);
  },
  passwordChecks: (value, path) => {
    if (value === false) return;
    plainObject(value, path);
    checkAll(value as object, PASSWORD_CHECK_CHECKS, path);
  },
  cookies: (value, path) => {
    plainObject(value, path);
    checkAll(value as object, COOKIE_CHECKS, path);
  },
  purge: (value, path) => {
    plainObject(value, path);
    checkAll(value as object, PURGE_CHECKS, path);
  },
  legacyTokens: nullable((value, path) => {
    plainObject(value, path);
    checkAll(value as object, LEGACY_TOKEN_CHECKS, path);
    const { format, client } = value as Partial<LegacyTokenOptions>;
    if (format === undefined || client === undefined) fail(`${path} needs both format and client.`);
  }),
  ...LEAK_OPTION_CHECKS,
  // setInterval takes at most 2^31 - 1 ms; anything longer would fire every millisecond.
  connectionRecheckInterval: (value, path) => {
    positiveSeconds(value, path);
    if ((value as number) < 1 || (value as number) > 86_400) {
      fail(`${path} must be between 1 and 86400 seconds, got ${String(value)}.`);
    }
  },
  // At most 600 s: a bound meant in milliseconds (5000) is refused, not taken for 83 minutes.
  databaseTimeout: secondsBetween(0.01, 600),
  passwordHasher: implementing('hash', 'verify'),
  clock: implementing('now'),
  routeCheck: (value, path) => {
    plainObject(value, path);
    checkAll(value as object, ROUTE_CHECK_CHECKS, path);
  },
};

const ROUTE_CHECK_CHECKS: Record<keyof RouteCheckOptions, Check> = {
  guards: (value, path) => {
    if (!Array.isArray(value) || value.some((guard) => typeof guard !== 'function')) {
      fail(`${path} must be an array of guard classes (such as [MyAuthGuard]).`);
    }
  },
};

const USER_CHECKS: Record<keyof UserOptions, Check> = {
  entity: (value, path) => {
    if (typeof value !== 'function') fail(`${path} must be your TypeORM user entity class.`);
  },
  idField: text,
  usernameField: text,
  passwordHashField: text,
  isActive: (value, path) => {
    if (typeof value !== 'function') fail(`${path} must be a function (user) => boolean.`);
  },
  normalizeUsername: (value, path) => {
    if (typeof value !== 'function') fail(`${path} must be a function (username) => string.`);
  },
};

const PURGE_CHECKS: Record<keyof PurgeOptions, Check> = {
  retention: (value, path) => {
    seconds(value, path);
    if ((value as number) > MAX_RETENTION) {
      fail(`${path} must be at most ${MAX_RETENTION} seconds (ten years), got ${String(value)}.`);
    }
  },
  batchSize: (value, path) => {
    count(value, path);
    if ((value as number) > MAX_PURGE_BATCH) fail(`${path} must be at most ${MAX_PURGE_BATCH}, got ${String(value)}.`);
  },
  // Checked by the cron parser when the job starts; here only its type.
  cron: nullable(text),
};

const CACHE_CHECKS: Record<keyof CacheOptions, Check> = {
  ttl: positiveSeconds,
  maxEntries: count,
  store: implementing(...CACHE_METHODS),
};

const LOGIN_ATTEMPT_CHECKS: Record<keyof LoginAttemptOptions, Check> = {
  perUserAndIp: nullable(rate),
  perIp: nullable(rate),
  store: implementing('hit', 'undo', 'reset'),
};

const PASSWORD_CHECK_CHECKS: Record<keyof PasswordCheckLimits, Check> = {
  concurrency: count,
  queuePerClient: count,
  queue: count,
  maxWait: (value, path) => {
    positiveSeconds(value, path);
    if ((value as number) > 600) fail(`${path} must be at most 600 seconds, got ${String(value)}.`);
  },
};

const COOKIE_CHECKS: Record<keyof CookieOptions, Check> = {
  name: matching(/^[A-Za-z0-9_-]{1,40}$/, '1-40 characters of A-Z, a-z, 0-9, _ and -'),
  secure: flag,
  sameSite: oneOf('lax', 'strict'),
};

const REDIS_CHECKS: Record<keyof RedisOptions, Check> = {
  url: matching(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
  client: implementing('duplicate', 'publish', 'subscribe'),
  channel: text,
};

/**
 * Checks every option given (an `undefined` one means its default and is skipped). `forRoot()`
 * takes its module-shape settings out before the options get here, so one that is present came
 * from a `forRootAsync()` factory, too late to shape the module: refused, never ignored.
 */
export function checkOptions(options: MultiTokenAuthOptions): void {
  const misplaced = EXTRA_KEYS.find((key) => key in options);
  if (misplaced !== undefined) fail(extraFromFactoryProblem(misplaced));
  checkAll(options, OPTION_CHECKS, '');
}
