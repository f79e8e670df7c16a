import { DEFAULT_OPTIONS, resolveOptions } from './pure/options/multi-token-auth.defaults';
import type { MultiTokenAuthOptions } from './contracts/multi-token-auth.options';
import { TestUser } from './testing/test-user.entity';

const base: MultiTokenAuthOptions = { user: { entity: TestUser } };

// The defaults and the start-up errors of particular values: multi-token-auth.defaults.spec.ts.
describe('resolveOptions', () => {
  /** Every option, with a value of the wrong type and whether `null` means something for it. */
  const EVERY_OPTION: [keyof MultiTokenAuthOptions, unknown, boolean][] = [
    ['user', 'User', false],
    ['tokenPrefix', 42, false],
    ['realm', 42, false],
    ['defaultTokenTtl', '3600', true],
    ['clients', { name: 'web' }, false],
    ['lastUsedUpdateInterval', '60', false],
    ['tokenLimitPerUser', 2.5, true],
    ['tokenLimitPolicy', 'drop', false],
    ['defaultThrottleRate', 100, true],
    ['tokenStore', {}, false],
    ['cache', true, false],
    ['redis', 'redis://localhost', false],
    ['throttlerStorage', {}, false],
    ['apiKeyClient', 7, true],
    ['maxApiKeysPerUser', 0, true],
    ['recentLoginWindow', -5, true],
    ['logoutAllRevokesApiKeys', 'yes', false],
    ['loginAttempts', { perIp: '5 per minute' }, false],
    ['passwordChecks', { concurrency: 0 }, false],
    ['cookies', { sameSite: 'none' }, false],
    ['purge', { batchSize: 0 }, false],
    ['legacyTokens', { format: '[0-9a-f]{40}', client: 'default' }, true],
    ['eventSink', { send: () => undefined }, false],
    ['connectionRecheckInterval', 0, false],
    ['databaseTimeout', '5', false],
    ['passwordHasher', { hash: 'x' }, false],
    ['clock', Date, false],
    ['routeCheck', { guards: ['MyGuard'] }, false],
    ['secretScanning', 'https://api.github.com/meta/public_keys/secret_scanning', true],
    ['credentialRevocation', { perIp: 'lots' }, false],
  ];

  it('the table covers every option the module has', () => {
    const documented = [
      'user',
      ...Object.keys(DEFAULT_OPTIONS),
      'tokenStore',
      'redis',
      'throttlerStorage',
      'eventSink',
    ];
    const extra = ['passwordHasher', 'clock', 'routeCheck'];
    expect(EVERY_OPTION.map(([name]) => name).sort()).toEqual([...documented, ...extra].sort());
  });

  it.each(EVERY_OPTION)('%s: undefined means the default', (name) => {
    if (name === 'user') return;
    const options = resolveOptions({ ...base, [name]: undefined });
    const defaults = resolveOptions(base);
    expect(options[name as keyof typeof options]).toEqual(defaults[name as keyof typeof defaults]);
  });

  it.each(EVERY_OPTION)('%s: a value of the wrong type fails at start-up, naming the option', (name, wrong) => {
    expect(() => resolveOptions({ ...base, [name]: wrong })).toThrow(
      new RegExp(`multi-token-auth: .*${name}.*Check the options passed to MultiTokenAuthModule`),
    );
  });

  it.each(EVERY_OPTION)(
    '%s: null is "off" where the option has one, and an error elsewhere',
    (name, _wrong, canBeNull) => {
      const resolve = () => resolveOptions({ ...base, [name]: null });
      if (canBeNull) expect(resolve()[name]).toBeNull();
      else expect(resolve).toThrow(name === 'user' ? /No user entity/ : new RegExp(`${name}`));
    },
  );

  // forRoot() takes these out before the options are resolved: one still here came from a forRootAsync() factory.
  it.each(['isGlobal', 'routePrefix', 'mountControllers', 'globalGuard'])(
    '%s in the options (returned by a forRootAsync factory) fails, saying it goes beside useFactory',
    (name) => {
      expect(() => resolveOptions({ ...base, [name]: undefined })).toThrow(
        `multi-token-auth: ${name} was returned by the forRootAsync() factory, where it cannot take effect: ` +
          "the module's routes, controllers and global guard are fixed before any factory runs. " +
          `Pass it beside useFactory: MultiTokenAuthModule.forRootAsync({ useFactory, inject, ${name}: … }).`,
      );
    },
  );
});
