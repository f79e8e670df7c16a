import { resolveOptions } from './multi-token-auth.defaults';
import type { MultiTokenAuthOptions } from './multi-token-auth.options';
import { TestUser } from './testing/test-user.entity';

const base: MultiTokenAuthOptions = { user: { entity: TestUser } };

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
      user: { idField: 'id', usernameField: 'username', passwordHashField: 'passwordHash' },
    });
    expect(options.clients).toEqual([
      { name: 'default', tokenTtl: 86_400, maxTokensPerUser: null, throttleRate: null },
      { name: 'api', tokenTtl: null, maxTokensPerUser: null, throttleRate: null },
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
      /Client "web": throttleRate must look like "100\/m"/,
    ],
    [
      'a zero TTL',
      { clients: [{ name: 'web', tokenTtl: 0 }], apiKeyClient: null },
      /Client "web": tokenTtl \(seconds\) must be a positive whole number/,
    ],
    [
      'a fractional limit',
      { clients: [{ name: 'web', maxTokensPerUser: 1.5 }], apiKeyClient: null },
      /maxTokensPerUser must be a positive whole number/,
    ],
    ['a bad client name', { clients: [{ name: 'Web App' }], apiKeyClient: null }, /Client name "Web App"/],
    ['duplicate clients', { clients: [{ name: 'web' }, { name: 'web' }], apiKeyClient: null }, /unique/],
    ['an unknown API-key client', { clients: [{ name: 'web' }] }, /apiKeyClient "api" is not in clients/],
    ['a bad prefix', { tokenPrefix: 'MTA_' }, /tokenPrefix/],
    ['a bad default rate', { defaultThrottleRate: 'lots' }, /defaultThrottleRate/],
    ['a bad policy', { tokenLimitPolicy: 'ignore' as never }, /tokenLimitPolicy/],
    ['a quote in the realm', { realm: 'a"b' }, /realm/],
  ])('fails at start-up on %s', (_case, options, message) => {
    expect(() => resolveOptions({ ...base, ...options })).toThrow(message);
  });
});
