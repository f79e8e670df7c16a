import { resolveClient } from './client.definition';
import { availableParallelism } from 'node:os';
import type { ClientDefinition, MultiTokenAuthOptions } from '../../contracts/multi-token-auth.options';
import type { PasswordHasher } from '../../contracts/password-hasher.interface';
import { ScryptPasswordHasher } from '../passwords/scrypt-password.hasher';
import { systemClock } from '../../contracts/clock/clock.interface';
import { fail } from './option.checks';
import { checkOptions } from './options.schema';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import { GITHUB_SECRET_SCANNING_KEYS_URL, type SecretScanningOptions } from '../../contracts/leaked-token.options';

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
  loginAttempts: { perUserAndIp: '10/15m', perIp: '100/15m' },
  cookies: { name: 'mta', secure: true, sameSite: 'lax' },
  purge: { retention: 0, batchSize: 1000, cron: null },
  legacyTokens: null,
  secretScanning: null,
  credentialRevocation: { perIp: '60/h' },
  connectionRecheckInterval: 60,
  databaseTimeout: 5,
  passwordChecks: { concurrency: Math.min(availableParallelism(), 4), queuePerClient: 4, queue: 256, maxWait: 10 },
} as const;

/** `secretScanning` with its defaults: GitHub's list of keys, kept an hour. */
function resolveSecretScanning(given: SecretScanningOptions): Required<SecretScanningOptions> {
  const resolved = {
    publicKeys: [],
    publicKeysUrl: GITHUB_SECRET_SCANNING_KEYS_URL,
    publicKeysRefresh: 3600,
    ...definedOnly(given),
  };
  if (resolved.publicKeys.length === 0 && resolved.publicKeysUrl === null) {
    fail('secretScanning needs publicKeys, or a publicKeysUrl to fetch them from (it is null).');
  }
  return resolved;
}

/** An option set to `undefined` (from an unset environment variable, say) means "the default". */
function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

/**
 * Merges the defaults once and fails fast, naming the option and the fix, on any bad value: a wrong
 * type, `null` where the option has no "off", or a key that is not an option (a typo).
 */
export function resolveOptions(options: MultiTokenAuthOptions, hasher?: PasswordHasher): ResolvedOptions {
  if (!options?.user?.entity) {
    fail(
      'No user entity was configured. Pass MultiTokenAuthModule.forRoot({ user: { entity: User } }) ' +
        'so tokens can reference your users table.',
    );
  }
  checkOptions(options);
  const merged = { ...DEFAULT_OPTIONS, ...definedOnly(options) };
  const cache = merged.cache === false ? false : { ...DEFAULT_OPTIONS.cache, ...definedOnly(merged.cache) };
  const loginAttempts =
    merged.loginAttempts === false ? false : { ...DEFAULT_OPTIONS.loginAttempts, ...definedOnly(merged.loginAttempts) };
  const passwordChecks =
    merged.passwordChecks === false
      ? false
      : { ...DEFAULT_OPTIONS.passwordChecks, ...definedOnly(merged.passwordChecks) };
  const clients = merged.clients.map((client) => resolveClient(client, merged.defaultTokenTtl));
  const names = new Set(clients.map((client) => client.name));
  if (names.size !== clients.length) fail('Client names must be unique.');
  if (merged.apiKeyClient !== null && !names.has(merged.apiKeyClient)) {
    fail(`apiKeyClient "${merged.apiKeyClient}" is not in clients; add it there, or set apiKeyClient: null.`);
  }
  const legacy = merged.legacyTokens;
  if (legacy && (!names.has(legacy.client) || legacy.client === merged.apiKeyClient)) {
    fail(`legacyTokens.client "${legacy.client}" must be one of clients, and not the API-key client.`);
  }
  if (clients.some((client) => client.name === merged.apiKeyClient && client.idleTimeout !== null)) {
    fail(
      `Client "${String(merged.apiKeyClient)}" holds API keys, which keep the lifetime they are created with: remove its idleTimeout.`,
    );
  }
  return {
    ...merged,
    cache,
    loginAttempts,
    passwordChecks,
    cookies: { ...DEFAULT_OPTIONS.cookies, ...definedOnly(merged.cookies) },
    purge: { ...DEFAULT_OPTIONS.purge, ...definedOnly(merged.purge) },
    routeCheck: { guards: options.routeCheck?.guards ?? [] },
    secretScanning: merged.secretScanning ? resolveSecretScanning(merged.secretScanning) : null,
    credentialRevocation:
      merged.credentialRevocation === false
        ? false
        : { ...DEFAULT_OPTIONS.credentialRevocation, ...definedOnly(merged.credentialRevocation) },
    clients,
    passwordHasher: options.passwordHasher ?? hasher ?? new ScryptPasswordHasher(),
    clock: options.clock ?? systemClock,
    user: {
      idField: 'id',
      usernameField: 'username',
      passwordHashField: 'passwordHash',
      isActive: (user: object) => (user as { isActive?: unknown }).isActive !== false,
      normalizeUsername: (username: string) => username,
      ...definedOnly(options.user),
    },
  };
}
