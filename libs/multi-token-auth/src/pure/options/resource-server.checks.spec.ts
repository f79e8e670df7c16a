import type { ResourceServerOptions } from '../../contracts/resource-server.options';
import { TokenCodec } from '../tokens/token.codec';
import { ownerOptions, resolveResourceServer } from './resource-server.checks';

const KEY = new TokenCodec('mta').generate();
const base: ResourceServerOptions = { introspection: { url: 'https://accounts.example/auth/introspect', apiKey: KEY } };

describe('forResourceServer() options', () => {
  it('defaults: the feed beside introspection, 2 s timeout, 10 000 entries for 300 s', () => {
    expect(resolveResourceServer(base)).toEqual({
      introspectionUrl: 'https://accounts.example/auth/introspect',
      revocationsUrl: 'https://accounts.example/auth/revocations',
      apiKey: KEY,
      timeoutMs: 2000,
      cacheMaxEntries: 10_000,
      cacheTtlMs: 300_000,
    });
    expect(
      resolveResourceServer({
        ...base,
        introspection: { url: 'http://localhost:3000/api/auth/introspect', apiKey: KEY },
      }).revocationsUrl,
    ).toBe('http://localhost:3000/api/auth/revocations');
  });

  it.each<[string, unknown, RegExp]>([
    ['no introspection', {}, /needs introspection: \{ url, apiKey \}/],
    ['no apiKey', { introspection: { url: 'https://a/auth/introspect' } }, /needs introspection/],
    [
      'http to another host',
      { introspection: { url: 'http://auth.internal/auth/introspect', apiKey: KEY } },
      /allowInsecureHttp/,
    ],
    [
      'a key of another shape',
      { introspection: { url: 'https://a/auth/introspect', apiKey: 'secret' } },
      /not a token of prefix "mta"/,
    ],
    [
      'another prefix',
      { introspection: { url: 'https://a/auth/introspect', apiKey: KEY }, tokenPrefix: 'acme' },
      /prefix "acme"/,
    ],
    [
      'a URL not ending in /introspect',
      { introspection: { url: 'https://a/check', apiKey: KEY } },
      /give revocationsUrl/,
    ],
    [
      'a timeout of 10 ms',
      { introspection: { url: 'https://a/auth/introspect', apiKey: KEY, timeout: 10 } },
      /timeout must be a number of milliseconds from 50/,
    ],
    ['a typo', { ...base, cahce: {} }, /Unknown option forResourceServer\(\)\.cahce/],
    ['a bad client rate', { ...base, clients: [{ name: 'web', throttleRate: 'fast' }] }, /clients\[0\]\.throttleRate/],
    ['a cache ttl of 0', { ...base, cache: { ttl: 0 } }, /cache\.ttl/],
  ])('%s fails at start-up with the fix', (_name, options, message) => {
    expect(() => resolveResourceServer(options as ResourceServerOptions)).toThrow(message);
  });

  it('allowInsecureHttp lets http:// reach another host (a mesh with its own TLS)', () => {
    const options = {
      introspection: { url: 'http://auth.internal/auth/introspect', apiKey: KEY, allowInsecureHttp: true },
    };
    expect(resolveResourceServer(options).revocationsUrl).toBe('http://auth.internal/auth/revocations');
  });

  it('the guards’ options: the clients with this service’s rates, the API-key client among them, nothing stored', () => {
    class Subject {}
    const options = ownerOptions({ ...base, clients: [{ name: 'mobile', throttleRate: '5/m' }] }, Subject);
    expect(options).toMatchObject({
      user: { entity: Subject, idField: 'id' },
      clients: [
        { name: 'mobile', throttleRate: '5/m' },
        { name: 'api', throttleRate: undefined },
      ],
      apiKeyClient: 'api',
      cache: false,
      loginAttempts: false,
    });
    expect(ownerOptions({ ...base, apiKeyClient: null }, Subject).clients).toEqual([]);
  });
});
