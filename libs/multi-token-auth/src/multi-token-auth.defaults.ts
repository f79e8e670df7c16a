import type { CacheOptions, ClientDefinition, MultiTokenAuthOptions, UserOptions } from './multi-token-auth.options';
import type { PasswordHasher } from './passwords/password-hasher.interface';
import { ScryptPasswordHasher } from './passwords/scrypt-password.hasher';
import { systemClock } from './clock/clock.interface';
import { parseThrottleRate } from './throttling/throttle-rate.parser';

/** Options with every default applied and every value checked; built once at start-up. */
export type ResolvedOptions = Required<
  Omit<MultiTokenAuthOptions, 'user' | 'throttlerStorage' | 'tokenStore' | 'clients' | 'cache' | 'redis'>
> &
  Pick<MultiTokenAuthOptions, 'throttlerStorage' | 'tokenStore' | 'redis'> & {
    cache: false | (Required<Omit<CacheOptions, 'store'>> & Pick<CacheOptions, 'store'>);
    user: Required<UserOptions>;
    clients: Required<ClientDefinition>[];
  };

export const DEFAULT_OPTIONS = {
  tokenPrefix: 'mta',
  realm: 'api',
  defaultTokenTtl: 86_400,
  clients: [{ name: 'default' }, { name: 'api', tokenTtl: null }] as ClientDefinition[],
  lastUsedUpdateInterval: 60,
  tokenLimitPerUser: null,
  tokenLimitPolicy: 'revoke-oldest',
  defaultThrottleRate: null,
  apiKeyClient: 'api',
  maxApiKeysPerUser: 100,
  recentLoginWindow: null,
  logoutAllRevokesApiKeys: true,
  cache: { ttl: 60, maxEntries: 10_000 },
} as const;

const FIX = 'Check the options passed to MultiTokenAuthModule.forRoot() / forRootAsync().';

function fail(message: string): never {
  throw new Error(`multi-token-auth: ${message} ${FIX}`);
}

function checkCount(value: number | null, what: string): void {
  if (value !== null && (!Number.isSafeInteger(value) || value < 1)) {
    fail(`${what} must be a positive whole number or null, got ${String(value)}.`);
  }
}

function checkRate(rate: string | null, what: string): void {
  if (rate !== null && !parseThrottleRate(rate)) {
    fail(`${what} must look like "100/m" (a count, a slash, and one of s, m, h, d), got "${rate}".`);
  }
}

function resolveClient(client: ClientDefinition, defaultTtl: number | null): Required<ClientDefinition> {
  if (typeof client.name !== 'string' || !/^[a-z0-9_-]{1,50}$/.test(client.name)) {
    fail(`Client name "${String(client.name)}" must be 1-50 characters of a-z, 0-9, _ and -.`);
  }
  const resolved = {
    name: client.name,
    tokenTtl: client.tokenTtl === undefined ? defaultTtl : client.tokenTtl,
    maxTokensPerUser: client.maxTokensPerUser ?? null,
    throttleRate: client.throttleRate ?? null,
  };
  checkCount(resolved.tokenTtl, `Client "${client.name}": tokenTtl (seconds)`);
  checkCount(resolved.maxTokensPerUser, `Client "${client.name}": maxTokensPerUser`);
  checkRate(resolved.throttleRate, `Client "${client.name}": throttleRate`);
  return resolved;
}

function resolveCache(cache: CacheOptions | false): ResolvedOptions['cache'] {
  if (cache === false) return false;
  const resolved = { ...DEFAULT_OPTIONS.cache, ...definedOnly(cache) };
  if (!Number.isFinite(resolved.ttl) || resolved.ttl <= 0)
    fail(`cache.ttl must be a number of seconds > 0, got ${String(resolved.ttl)}.`);
  checkCount(resolved.maxEntries, 'cache.maxEntries');
  return resolved;
}

/** An option set to `undefined` (from an unset environment variable, say) means "the default". */
function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

/** Merges the defaults once and fails fast, with the fix in the message, on any bad value. */
export function resolveOptions(options: MultiTokenAuthOptions, hasher?: PasswordHasher): ResolvedOptions {
  if (!options?.user?.entity) {
    fail(
      'No user entity was configured. Pass MultiTokenAuthModule.forRoot({ user: { entity: User } }) ' +
        'so tokens can reference your users table.',
    );
  }
  const merged = { ...DEFAULT_OPTIONS, ...definedOnly(options) };
  if (!/^[a-z][a-z0-9]{1,15}$/.test(merged.tokenPrefix)) {
    fail(`tokenPrefix must be 2-16 lower-case letters or digits starting with a letter, got "${merged.tokenPrefix}".`);
  }
  if (!/^[\x20-\x7e]+$/.test(merged.realm) || merged.realm.includes('"')) {
    fail('realm must be printable ASCII without double quotes.');
  }
  checkCount(merged.defaultTokenTtl, 'defaultTokenTtl (seconds)');
  checkCount(merged.tokenLimitPerUser, 'tokenLimitPerUser');
  checkCount(merged.maxApiKeysPerUser, 'maxApiKeysPerUser');
  checkCount(merged.recentLoginWindow, 'recentLoginWindow (seconds)');
  checkRate(merged.defaultThrottleRate, 'defaultThrottleRate');
  if (!Number.isFinite(merged.lastUsedUpdateInterval) || merged.lastUsedUpdateInterval < 0) {
    fail('lastUsedUpdateInterval must be a number of seconds >= 0.');
  }
  if (merged.tokenLimitPolicy !== 'revoke-oldest' && merged.tokenLimitPolicy !== 'reject') {
    fail(`tokenLimitPolicy must be "revoke-oldest" or "reject", got "${String(merged.tokenLimitPolicy)}".`);
  }
  const cache = resolveCache(merged.cache);
  const clients = merged.clients.map((client) => resolveClient(client, merged.defaultTokenTtl));
  const names = new Set(clients.map((client) => client.name));
  if (names.size !== clients.length) fail('Client names must be unique.');
  if (merged.apiKeyClient !== null && !names.has(merged.apiKeyClient)) {
    fail(`apiKeyClient "${merged.apiKeyClient}" is not in clients; add it there, or set apiKeyClient: null.`);
  }
  return {
    ...merged,
    cache,
    clients,
    passwordHasher: options.passwordHasher ?? hasher ?? new ScryptPasswordHasher(),
    clock: options.clock ?? systemClock,
    user: {
      idField: 'id',
      usernameField: 'username',
      passwordHashField: 'passwordHash',
      isActive: (user: object) => (user as { isActive?: unknown }).isActive !== false,
      ...definedOnly(options.user),
    },
  };
}
