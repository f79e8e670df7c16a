import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ManualClock } from '../../contracts/clock/manual.clock';
import { LeakReportException } from '../../contracts/errors/leak.exceptions';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import { resolveOptions } from '../../pure/options/multi-token-auth.defaults';
import { TestUser } from '../../testing/test-user.entity';
import { SigningKeySource } from './signing-key.source';

const pem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** The keys of secret-scanning reports, fetched from a list server this spec controls. */
describe('SigningKeySource', () => {
  let server: Server;
  let url: string;
  let list: { key_identifier: string; key: string }[];
  let status: number;
  let fetches: number;
  let clock: ManualClock;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ public_keys: list }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/keys`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    list = [{ key_identifier: 'a', key: pem() }];
    status = 200;
    fetches = 0;
    clock = new ManualClock(new Date('2026-12-07T12:00:00Z'));
  });

  const source = (extra: object = {}) => {
    const options: ResolvedOptions = resolveOptions({
      user: { entity: TestUser },
      secretScanning: { publicKeysUrl: url, ...extra },
    });
    return new SigningKeySource(options, clock);
  };

  it('fetches the list once for the keys it names, and again when it is older than publicKeysRefresh', async () => {
    const keys = source({ publicKeysRefresh: 600 });
    expect(await keys.keyFor('a')).not.toBeNull();
    expect(await keys.keyFor('a')).not.toBeNull();
    expect(fetches).toBe(1);
    clock.advance(601_000);
    expect(await keys.keyFor('a')).not.toBeNull();
    expect(fetches).toBe(2);
  });

  it('an unknown key fetches the list again, at most once a minute: a new key is found, a bogus one is null', async () => {
    const keys = source();
    expect(await keys.keyFor('a')).not.toBeNull();
    list.push({ key_identifier: 'b', key: pem() });
    expect(await keys.keyFor('b')).toBeNull(); // within the minute: not fetched again
    expect(fetches).toBe(1);
    clock.advance(60_000);
    expect(await keys.keyFor('b')).not.toBeNull();
    expect(await keys.keyFor('bogus')).toBeNull();
    expect(await keys.keyFor('bogus')).toBeNull();
    expect(fetches).toBe(2);
  });

  it('while the list cannot be fetched: a known key still checks, an unknown one is 503 signing_keys_unavailable', async () => {
    const keys = source({ publicKeysRefresh: 60 });
    expect(await keys.keyFor('a')).not.toBeNull();
    status = 502;
    clock.advance(120_000);
    expect(await keys.keyFor('a')).not.toBeNull();
    await expect(keys.keyFor('b')).rejects.toEqual(new LeakReportException('signing_keys_unavailable'));
    expect(fetches).toBe(2);
  });

  it('leaves out entries that are not ECDSA P-256 keys; a configured key needs no fetch', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    list.push({ key_identifier: 'rsa', key: rsa.toString() });
    const keys = source({ publicKeys: [{ keyIdentifier: 'fixed', key: pem() }] });
    expect(await keys.keyFor('fixed')).not.toBeNull();
    expect(fetches).toBe(0);
    expect(await keys.keyFor('rsa')).toBeNull();
    expect(fetches).toBe(1);
  });

  it('a key the fetched list no longer names is withdrawn at once; a list over 256 KB is not read', async () => {
    const keys = source({ publicKeysRefresh: 60 });
    expect(await keys.keyFor('a')).not.toBeNull();
    list = [{ key_identifier: 'b', key: pem() }];
    clock.advance(61_000);
    expect(await keys.keyFor('a')).toBeNull();
    list = Array.from({ length: 3000 }, (_, i) => ({ key_identifier: `k${i}`, key: pem() }));
    clock.advance(61_000);
    await expect(keys.keyFor('k1')).rejects.toEqual(new LeakReportException('signing_keys_unavailable'));
  });

  it('refuses a bad configuration at start-up', () => {
    const resolve = (secretScanning: object) => () => resolveOptions({ user: { entity: TestUser }, secretScanning });
    expect(resolve({ publicKeysUrl: 'http://example.com/keys' })).toThrow(/publicKeysUrl must be an https:\/\//);
    expect(resolve({ publicKeysUrl: null })).toThrow(/needs publicKeys, or a publicKeysUrl/);
    expect(resolve({ publicKeys: [{ keyIdentifier: 'k', key: 'nope' }] })).toThrow(
      /publicKeys\[0\]\.key must be a PEM/,
    );
    expect(resolve({ publicKeys: [{ key: pem() }] })).toThrow(/keyIdentifier is required/);
    expect(resolve({ publicKeysRefresh: 5 })).toThrow(/publicKeysRefresh must be a number of seconds from 60/);
    expect(() => resolveOptions({ user: { entity: TestUser }, credentialRevocation: { perIp: 'lots' } })).toThrow(
      /credentialRevocation\.perIp/,
    );
  });
});
