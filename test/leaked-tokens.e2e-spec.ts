import { EventEmitter2 } from '@nestjs/event-emitter';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { TokenCodec } from 'nestjs-multi-token-auth';
import { DEFAULT_CLIENTS } from '../apps/demo/src/config/demo.config';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';
import { ROTATING_CLIENT } from './support/demo-app';

interface Seen {
  name: string;
  payload: Record<string, unknown>;
}

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY_ID = 'b4e9c0de0d5ad7c6d1c0e2f7a43a9c1b2f9b8e7d6c5b4a39281706f5e4d3c2b1';
const signature = (body: string) => sign('sha256', Buffer.from(body), pair.privateKey).toString('base64');

/**
 * Tokens found in the open, on the demo (SQLite): GitHub's signed secret-scanning reports, keys
 * fetched from a list served like GitHub's, and the bulk revocation anyone may call; each checked
 * against the stored rows, the events the owner is told by, and the demo's audit log.
 */
describe('leaked tokens: POST /auth/leaked-tokens (GitHub secret scanning) and POST /auth/credentials/revoke', () => {
  let keyServer: Server;
  let keysUrl: string;
  let listFetches: number;
  let demo: Demo;
  let seen: Seen[];
  let alice: LoginResult;
  let key: LoginResult;

  beforeAll(async () => {
    keyServer = createServer((_req, res) => {
      listFetches++;
      const key = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ public_keys: [{ key_identifier: KEY_ID, key, is_current: true }] }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    keysUrl = `http://127.0.0.1:${(keyServer.address() as { port: number }).port}/meta/public_keys/secret_scanning`;
  });
  afterAll(() => new Promise((resolve) => keyServer.close(resolve)));

  beforeEach(async () => {
    listFetches = 0;
    demo = await startDemo({
      SECRET_SCANNING_KEYS_URL: keysUrl,
      CREDENTIAL_REVOCATION_RATE: '5/m',
      AUTH_CLIENTS: JSON.stringify([...DEFAULT_CLIENTS, ROTATING_CLIENT]),
    });
    seen = [];
    demo.app.get(EventEmitter2).onAny((name, payload) => {
      seen.push({ name: String(name), payload: payload as Record<string, unknown> });
    });
    await demo.register('alice');
    alice = await demo.login('alice', 'web');
    key = await demo.apiKey(alice.token, 'ci');
    seen = [];
  });
  afterEach(async () => {
    // The owner is told where, never what: no token or digest in an event or the log.
    const codec = demo.app.get(TokenCodec);
    const told = JSON.stringify(seen) + demo.logs.lines.join('\n');
    for (const token of [alice.token, key.token]) {
      expect(told).not.toContain(token);
      expect(told).not.toContain(codec.digest(token));
    }
    await demo.close();
  });

  const stored = (id: string) => demo.tokens().some((row) => row.id === id);
  const named = (name: string) => seen.filter((event) => event.name === name).map((event) => event.payload);
  const report = (body: string, headers: Record<string, string> = {}) =>
    demo
      .http()
      .post('/auth/leaked-tokens')
      .set('Content-Type', 'application/json')
      .set({ 'Github-Public-Key-Identifier': KEY_ID, 'Github-Public-Key-Signature': signature(body), ...headers })
      .send(body);

  it('a signed report revokes every token it names at once; the owner hears where each was found', async () => {
    const found = { type: 'demo_token', url: 'https://github.com/octo/app/blob/1a2b/.env', source: 'content' };
    const body = JSON.stringify([
      { token: alice.token, ...found },
      { token: key.token, ...found, source: 'commit' },
      { token: 'ghp_not_ours_at_all', ...found },
      { token: alice.token, ...found },
    ]);
    const res = await report(body).expect(200);
    expect(res.body.map((entry: { label: string }) => entry.label)).toEqual([
      'true_positive',
      'true_positive',
      'false_positive',
      'true_positive',
    ]);
    expect(res.body[0]).toEqual({
      token_hash: demo.app.get(TokenCodec).digest(alice.token),
      token_type: 'demo_token',
      label: 'true_positive',
    });
    expect(listFetches).toBe(1);
    expect([stored(alice.id), stored(key.id)]).toEqual([false, false]);
    await demo.http().get('/me').set(demo.auth(alice.token)).expect(401);
    await demo.http().get('/me').set(demo.auth(key.token)).expect(401);
    expect(named('token.leaked')).toEqual([
      expect.objectContaining({
        tokenId: alice.id,
        userId: alice.user.id,
        reporter: 'secret-scanning',
        reportedFrom: null,
        name: null,
        apiKey: false,
        ...found,
      }),
      expect.objectContaining({
        tokenId: key.id,
        name: 'ci',
        apiKey: true,
        reporter: 'secret-scanning',
        ...found,
        source: 'commit',
      }),
    ]);
    expect(named('token.revoked').map((event) => [event.tokenId, event.reason])).toEqual([
      [alice.id, 'leaked'],
      [key.id, 'leaked'],
    ]);
    expect(demo.logs.lines.filter((line) => line.includes('reported leaked'))).toContainEqual(
      expect.stringContaining(
        `token ${alice.id} (null) of user ${alice.user.id} reported leaked by secret-scanning at "${found.url}" ("content")`,
      ),
    );
  });

  it('reports arriving together while the key list is first fetched all wait for it (none refused as forged)', async () => {
    const tokens = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => (await demo.login('alice', 'mobile', { name: `m${n}` })).token),
    );
    const answers = await Promise.all(
      tokens.map((token) => report(JSON.stringify([{ token, type: 't', url: 'u', source: 'content' }]))),
    );
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(listFetches).toBe(1);
  });

  it('a report of 1 000 matches (about 200 KB) is read whole; a body that is not JSON is 415', async () => {
    const url = `https://github.com/octo/app/blob/${'0'.repeat(40)}/config/settings/production.env`;
    const matches = Array.from({ length: 1000 }, (_, i) => ({
      token: `mta_${String(i).padStart(38, 'x')}`,
      type: 'demo_token',
      url,
      source: 'content',
    }));
    matches[999] = { ...matches[999], token: key.token };
    // An entry not as GitHub documents is skipped, never a reason to refuse the others.
    (matches[0] as Record<string, unknown>).token = 7;
    const body = JSON.stringify(matches);
    expect(body.length).toBeGreaterThan(150_000);
    const res = await report(body).expect(200);
    expect(res.body).toHaveLength(1000);
    expect([res.body[0].label, res.body[999].label]).toEqual(['false_positive', 'true_positive']);
    expect(stored(key.id)).toBe(false);
    const text = await report('[]', { 'Content-Type': 'text/plain' });
    expect([text.status, text.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('a leaked session token of a refresh family ends the family', async () => {
    const rotating = await demo.login('alice', 'rotating');
    const successor = (await demo.http().post('/auth/refresh').set(demo.auth(rotating.token)).expect(200)).body as {
      token: string;
      id: string;
    };
    await report(JSON.stringify([{ token: rotating.token, type: 't', url: 'u', source: 'content' }])).expect(200);
    expect([stored(rotating.id), stored(successor.id)]).toEqual([false, false]);
    await demo.http().get('/me').set(demo.auth(successor.token)).expect(401);
    expect(named('token.leaked').map((event) => event.tokenId)).toEqual([rotating.id]);
  });

  it('unsigned, wrongly signed, of an unknown key or altered: 401 invalid_signature, nothing revoked, nothing told', async () => {
    const body = JSON.stringify([{ token: alice.token, type: 't', url: 'u', source: 'content' }]);
    const refusals = [
      demo.http().post('/auth/leaked-tokens').set('Content-Type', 'application/json').send(body),
      report(body, { 'Github-Public-Key-Signature': signature(`${body}\n`) }),
      report(body, { 'Github-Public-Key-Identifier': 'f'.repeat(64) }),
      report(body, { 'Github-Public-Key-Signature': 'MEUCIQ==' }),
    ];
    for (const refusal of refusals) {
      const res = await refusal;
      expect([res.status, res.body.code]).toEqual([401, 'invalid_signature']);
    }
    expect([stored(alice.id), stored(key.id)]).toEqual([true, true]);
    expect(seen).toEqual([]);
    // A signed body that is not a report is 400, after the signature and before any lookup.
    const junk = '{"token":"x"}';
    expect((await report(junk).expect(400)).body).toMatchObject({ code: 'validation_failed' });
  });

  it('POST /auth/credentials/revoke: 202 and empty whatever was stored; each owner told; 1 to 1000 strings', async () => {
    const res = await demo
      .http()
      .post('/auth/credentials/revoke')
      .send({ credentials: [key.token, 'mta_unknown', key.token] })
      .expect(202);
    expect(res.text).toBe('');
    expect(res.headers['x-ratelimit-remaining']).toBe('4');
    expect([stored(alice.id), stored(key.id)]).toEqual([true, false]);
    expect(named('token.leaked')).toEqual([
      expect.objectContaining({
        tokenId: key.id,
        reporter: 'credential-revocation',
        url: null,
        source: null,
        type: null,
      }),
    ]);
    for (const credentials of [[], Array(1001).fill('x'), [alice.token, 7], 'mta_x']) {
      const bad = await demo.http().post('/auth/credentials/revoke').send({ credentials }).expect(400);
      expect(bad.body.code).toBe('validation_failed');
    }
    expect(stored(alice.id)).toBe(true);
  });

  it('POST /auth/credentials/revoke is limited per address (CREDENTIAL_REVOCATION_RATE 5/m): 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) {
      await demo
        .http()
        .post('/auth/credentials/revoke')
        .send({ credentials: ['mta_x'] })
        .expect(202);
    }
    const refused = await demo
      .http()
      .post('/auth/credentials/revoke')
      .send({ credentials: [alice.token] })
      .expect(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(stored(alice.id)).toBe(true);
  });
});

describe('leaked tokens with the receiver off (SECRET_SCANNING_KEYS_URL empty)', () => {
  it('answers 404 secret_scanning_disabled and fetches nothing', async () => {
    const demo = await startDemo({ SECRET_SCANNING_KEYS_URL: '' });
    try {
      const res = await demo
        .http()
        .post('/auth/leaked-tokens')
        .send([{ token: 'mta_x' }])
        .expect(404);
      expect(res.body).toMatchObject({ code: 'secret_scanning_disabled' });
    } finally {
      await demo.close();
    }
  });
});
