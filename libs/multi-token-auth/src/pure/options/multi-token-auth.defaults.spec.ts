import { DRF_TOKEN_FORMAT } from '../tokens/legacy-token.format';
import { resolveOptions } from './multi-token-auth.defaults';
import type { MultiTokenAuthOptions } from '../../contracts/multi-token-auth.options';
import { TestUser } from '../../testing/test-user.entity';

const base: MultiTokenAuthOptions = { user: { entity: TestUser } };

// Every option's wrong type, undefined and null, and the forRootAsync() extras left in the options:
// multi-token-auth.option-shapes.spec.ts.
describe('resolveOptions', () => {
  it('reads an option set to undefined (an unset environment variable) as its default', () => {
    const options = resolveOptions({
      user: { entity: TestUser, idField: undefined, isActive: undefined },
      tokenPrefix: undefined,
      realm: undefined,
      clock: undefined,
    });
    expect(options).toMatchObject({ tokenPrefix: 'mta', realm: 'api', user: { idField: 'id' } });
    expect(options.clock.now()).toBeInstanceOf(Date);
    expect(options.user.isActive({})).toBe(true);
  });

  it('applies every default once', () => {
    const options = resolveOptions(base);
    expect(options).toMatchObject({
      tokenPrefix: 'mta',
      realm: 'api',
      defaultTokenTtl: 86_400,
      lastUsedUpdateInterval: 60,
      tokenLimitPolicy: 'revoke-oldest',
      apiKeyClient: 'api',
      logoutAllRevokesApiKeys: true,
      databaseTimeout: 5,
      user: { idField: 'id', usernameField: 'username', passwordHashField: 'passwordHash' },
    });
    expect(options.clients).toEqual([
      {
        name: 'default',
        tokenTtl: 86_400,
        maxTokensPerUser: null,
        throttleRate: null,
        idleTimeout: null,
        absoluteLifetime: null,
        cookie: false,
        scopes: null,
        defaultScopes: null,
        rotateOnRefresh: false,
        rotationGrace: 30,
      },
      {
        name: 'api',
        tokenTtl: null,
        maxTokensPerUser: null,
        throttleRate: null,
        idleTimeout: null,
        absoluteLifetime: null,
        cookie: false,
        scopes: null,
        defaultScopes: null,
        rotateOnRefresh: false,
        rotationGrace: 30,
      },
    ]);
    expect(options.user.isActive({ isActive: false })).toBe(false);
    expect(options.user.isActive({})).toBe(true);
  });

  it('names the cause and the fix when the user entity is missing', () => {
    expect(() => resolveOptions({} as MultiTokenAuthOptions)).toThrow(
      /No user entity was configured\. Pass MultiTokenAuthModule\.forRoot\(\{ user: \{ entity: User \} \}\)/,
    );
  });

  it.each<[string, Partial<MultiTokenAuthOptions>, RegExp]>([
    [
      'a bad throttle rate',
      { clients: [{ name: 'web', throttleRate: '10/week' }], apiKeyClient: null },
      /clients\[0\]\.throttleRate must be "N\/unit" like "100\/m"/,
    ],
    [
      'a zero TTL',
      { clients: [{ name: 'web', tokenTtl: 0 }], apiKeyClient: null },
      /clients\[0\]\.tokenTtl must be a whole number of seconds from 1 to 2147483647, got 0/,
    ],
    [
      'a fractional limit',
      { clients: [{ name: 'web', maxTokensPerUser: 1.5 }], apiKeyClient: null },
      /clients\[0\]\.maxTokensPerUser must be a whole number >= 1, got 1.5/,
    ],
    [
      'a bad client name',
      { clients: [{ name: 'Web App' }], apiKeyClient: null },
      /clients\[0\]\.name must be 1-50 characters of a-z, 0-9, _ and -, got "Web App"/,
    ],
    ['duplicate clients', { clients: [{ name: 'web' }, { name: 'web' }], apiKeyClient: null }, /unique/],
    ['an unknown API-key client', { clients: [{ name: 'web' }] }, /apiKeyClient "api" is not in clients/],
    ['a bad prefix', { tokenPrefix: 'MTA_' }, /tokenPrefix/],
    ['a bad default rate', { defaultThrottleRate: 'lots' }, /defaultThrottleRate/],
    ['a bad policy', { tokenLimitPolicy: 'ignore' as never }, /tokenLimitPolicy/],
    ['a quote in the realm', { realm: 'a"b' }, /realm/],
    [
      'a scope with a space',
      { clients: [{ name: 'web', scopes: ['orders read'] }], apiKeyClient: null },
      /clients\[0\]\.scopes: each scope must be 1–64 printable ASCII characters without spaces/,
    ],
    [
      'scopes that are not a list',
      { clients: [{ name: 'web', scopes: 'orders:read' as never }], apiKeyClient: null },
      /clients\[0\]\.scopes must be an array of strings/,
    ],
    [
      "default scopes outside the client's scopes",
      { clients: [{ name: 'web', scopes: ['a'], defaultScopes: ['a', 'b'] }], apiKeyClient: null },
      /Client "web": defaultScopes b not in its scopes/,
    ],
    [
      'default scopes without scopes (a login could ask for any scope)',
      { clients: [{ name: 'web', defaultScopes: ['a'] }], apiKeyClient: null },
      /Client "web": defaultScopes needs scopes/,
    ],
    ['a re-check interval setInterval cannot hold', { connectionRecheckInterval: 2_200_000 }, /between 1 and 86400/],
    ['a re-check interval under a second', { connectionRecheckInterval: 0.5 }, /between 1 and 86400/],
    [
      'a database timeout in milliseconds',
      { databaseTimeout: 5000 },
      /databaseTimeout must be a number of seconds from 0.01 to 600/,
    ],
    ['a database timeout of 0', { databaseTimeout: 0 }, /databaseTimeout must be a number of seconds from 0.01 to 600/],
    [
      'a database timeout of Infinity',
      { databaseTimeout: Infinity },
      /databaseTimeout must be a number of seconds from 0.01 to 600/,
    ],
    ['a purge batch over 10 000', { purge: { batchSize: 50_000 } }, /purge\.batchSize must be at most 10000/],
    ['a negative retention', { purge: { retention: -1 } }, /purge\.retention must be a number of seconds >= 0/],
    ['a retention past ten years', { purge: { retention: 1e12 } }, /purge\.retention must be at most 315360000/],
    ['a cron that is not text', { purge: { cron: 3600 as never } }, /purge\.cron/],
    ['a typo in purge', { purge: { every: 60 } as never }, /Unknown option purge\.every/],
    [
      'a legacy format as a string',
      { legacyTokens: { format: /[0-9a-f]{40}/ as never, client: 'default' } },
      /legacyTokens\.format: alphabet must be one character class/,
    ],
    [
      'a legacy format with g',
      { legacyTokens: { format: { alphabet: /[0-9a-f]/g, length: 40 }, client: 'default' } },
      /alphabet may only have the i and u flags/,
    ],
    [
      'a legacy format matching nothing',
      { legacyTokens: { format: { alphabet: /[^,]/, length: 40 }, client: 'default' } },
      /alphabet must not match whitespace/,
    ],
    [
      'a legacy client not in clients',
      { legacyTokens: { format: DRF_TOKEN_FORMAT, client: 'drf' } },
      /legacyTokens\.client "drf" must be one of clients/,
    ],
    [
      'legacy tokens on the API-key client',
      { legacyTokens: { format: DRF_TOKEN_FORMAT, client: 'api' } },
      /not the API-key client/,
    ],
    [
      'a legacy option without client',
      { legacyTokens: { format: DRF_TOKEN_FORMAT } as never },
      /legacyTokens needs both format and client/,
    ],
  ])('fails at start-up on %s', (_case, options, message) => {
    expect(() => resolveOptions({ ...base, ...options })).toThrow(message);
  });

  it.each<[string, object, RegExp]>([
    ['a typo in an option', { tokenTTL: 60 }, /Unknown option tokenTTL; the options are: .*defaultTokenTtl/],
    [
      'a typo in a client',
      { clients: [{ name: 'web', ttl: 60 }], apiKeyClient: null },
      /Unknown option clients\[0\]\.ttl/,
    ],
    ['a typo in user', { user: { entity: TestUser, idfield: 'id' } }, /Unknown option user\.idfield/],
    ['a client without a name', { clients: [{ tokenTtl: 60 }], apiKeyClient: null }, /clients\[0\]\.name is required/],
    ['a bad cache ttl', { cache: { ttl: 0 } }, /cache\.ttl must be a number of seconds > 0/],
    ['redis without url or client', { redis: {} }, /redis needs exactly one of url and client/],
    [
      'an idle timeout on the API-key client',
      { clients: [{ name: 'web' }, { name: 'api', tokenTtl: null, idleTimeout: 600 }] },
      /Client "api" holds API keys, which keep the lifetime they are created with: remove its idleTimeout/,
    ],
    [
      'an idle timeout under 2 seconds',
      { clients: [{ name: 'web', idleTimeout: 1 }], apiKeyClient: null },
      /at least 2 seconds/,
    ],
    [
      'a fractional absolute lifetime',
      { clients: [{ name: 'web', absoluteLifetime: 1.5 }], apiKeyClient: null },
      /absoluteLifetime/,
    ],
    ['a non-function isActive', { user: { entity: TestUser, isActive: true } }, /user\.isActive must be a function/],
  ])('fails at start-up on %s', (_case, options, message) => {
    expect(() => resolveOptions({ ...base, ...options })).toThrow(message);
  });
});
