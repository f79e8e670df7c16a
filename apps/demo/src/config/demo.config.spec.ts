import { DEFAULT_CLIENTS, loadDemoConfig } from './demo.config';

describe('loadDemoConfig', () => {
  it('defaults: port 3000 on 127.0.0.1, SQLite file data/demo.sqlite, the seven demo clients', () => {
    expect(loadDemoConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: { type: 'sqlite', path: 'data/demo.sqlite' },
      clients: DEFAULT_CLIENTS,
      defaultThrottleRate: '100/m',
      tokenLimitPolicy: 'revoke-oldest',
      redisUrl: null,
      trustProxy: 0,
      secretScanningKeysUrl: 'https://api.github.com/meta/public_keys/secret_scanning',
      credentialRevocationRate: '60/h',
    });
    expect(DEFAULT_CLIENTS.map((client) => [client.name, client.tokenTtl])).toEqual([
      ['web', 86_400],
      ['mobile', 30 * 86_400],
      ['cli', 7 * 86_400],
      ['api', null],
      ['kiosk', 86_400],
      ['browser', undefined],
      ['legacy', null],
    ]);
    expect(DEFAULT_CLIENTS.find((client) => client.name === 'kiosk')?.maxTokensPerUser).toBe(1);
  });

  it('reads SECRET_SCANNING_KEYS_URL (empty = the receiver off) and CREDENTIAL_REVOCATION_RATE', () => {
    const config = loadDemoConfig({
      SECRET_SCANNING_KEYS_URL: 'http://127.0.0.1:9/keys',
      CREDENTIAL_REVOCATION_RATE: '5/m',
    });
    expect([config.secretScanningKeysUrl, config.credentialRevocationRate]).toEqual(['http://127.0.0.1:9/keys', '5/m']);
    expect(loadDemoConfig({ SECRET_SCANNING_KEYS_URL: '' }).secretScanningKeysUrl).toBeNull();
  });

  it.each([
    ['sqlite:/tmp/x.sqlite', { type: 'sqlite', path: '/tmp/x.sqlite' }],
    ['sqlite::memory:', { type: 'sqlite', path: ':memory:' }],
    ['postgres://app@127.0.0.1:5432/app', { type: 'postgres', url: 'postgres://app@127.0.0.1:5432/app' }],
    ['postgresql://app@db/app', { type: 'postgres', url: 'postgresql://app@db/app' }],
  ])('reads DATABASE_URL=%s', (url, database) => {
    expect(loadDemoConfig({ DATABASE_URL: url }).database).toEqual(database);
  });

  it('reads PORT, HOST, AUTH_CLIENTS, DEFAULT_THROTTLE_RATE (empty = none), TOKEN_LIMIT_POLICY, REDIS_URL', () => {
    const config = loadDemoConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      AUTH_CLIENTS: '[{"name":"web","tokenTtl":null,"throttleRate":"5/s"}]',
      DEFAULT_THROTTLE_RATE: '',
      TOKEN_LIMIT_POLICY: 'reject',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      clients: [{ name: 'web', tokenTtl: null, throttleRate: '5/s' }],
      defaultThrottleRate: null,
      tokenLimitPolicy: 'reject',
      redisUrl: 'redis://127.0.0.1:6379',
    });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be sqlite:<path>/],
    [{ DATABASE_URL: 'sqlite:' }, /DATABASE_URL/],
    [{ PORT: 'eighty' }, /PORT must be 0-65535/],
    [{ PORT: '70000' }, /PORT/],
    [{ AUTH_CLIENTS: '{not json' }, /AUTH_CLIENTS must be a JSON array/],
    [{ AUTH_CLIENTS: '{"name":"web"}' }, /AUTH_CLIENTS must be a JSON array of objects/],
    [{ AUTH_CLIENTS: '[1, 2]' }, /AUTH_CLIENTS must be a JSON array of objects/],
    [{ TOKEN_LIMIT_POLICY: 'ignore' }, /TOKEN_LIMIT_POLICY must be revoke-oldest or reject/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be redis:\/\/host:port/],
  ])('refuses %p with a message naming the variable', (env, message) => {
    expect(() => loadDemoConfig(env)).toThrow(message);
  });
});
