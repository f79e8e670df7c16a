import type { INestApplication } from '@nestjs/common';
import { generateKeyPairSync, sign } from 'node:crypto';
import request from 'supertest';
import { createPlatformApp, HTTP_PLATFORMS } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TokenService } from '../../services/tokens/token.service';
import { TokenVerifier } from '../../services/tokens/token.verifier';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY_ID = 'local-test-key';
const publicKeys = [{ keyIdentifier: KEY_ID, key: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() }];
const signed = (body: string) => sign('sha256', Buffer.from(body), pair.privateKey).toString('base64');

/** The leak receivers on both HTTP platforms: the signature over the raw body, and the bulk revocation. */
describe.each(HTTP_PLATFORMS)('POST /auth/leaked-tokens and /auth/credentials/revoke on %s', (platform) => {
  let fixture: Fixture;
  let app: INestApplication;
  let tokens: TokenService;

  beforeAll(async () => {
    fixture = await setup({
      mountControllers: true,
      clients: [{ name: 'web', tokenTtl: 3600 }],
      apiKeyClient: null,
      secretScanning: { publicKeys, publicKeysUrl: null },
    });
    app = await createPlatformApp(fixture.module, platform, { rawBody: true });
    tokens = fixture.module.get(TokenService);
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  const issue = async (name: string) => (await tokens.issue(await fixture.createUser(name), { client: 'web' })).token;
  const active = async (token: string) => (await fixture.module.get(TokenVerifier).inspect(token)) !== null;
  const report = (body: string, signature = signed(body), keyId = KEY_ID) =>
    http()
      .post('/auth/leaked-tokens')
      .set('Content-Type', 'application/json')
      .set('Github-Public-Key-Identifier', keyId)
      .set('Github-Public-Key-Signature', signature)
      .send(body);

  it('a signed report revokes the tokens it names, checked over the bytes as sent', async () => {
    const token = await issue(`alice-${platform}`);
    // Spacing a parser would drop: the signature covers these exact bytes.
    const body = `[ {"token": "${token}", "type":"mta_token", "url":"https://github.com/o/r/blob/x/.env", "source":"content"} ]`;
    const res = await report(body).expect(200);
    expect(res.body).toEqual([
      { token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), token_type: 'mta_token', label: 'true_positive' },
    ]);
    expect(await active(token)).toBe(false);
  });

  it('an unsigned, wrongly signed or unknown-key report is 401 invalid_signature and revokes nothing', async () => {
    const token = await issue(`bob-${platform}`);
    const body = JSON.stringify([{ token, type: 't', url: 'u', source: 'content' }]);
    const unsigned = await http()
      .post('/auth/leaked-tokens')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(401);
    expect(unsigned.body).toMatchObject({ statusCode: 401, code: 'invalid_signature' });
    await report(body, signed(`${body} `)).expect(401);
    await report(body, signed(body), 'another-key').expect(401);
    await report(`${body} `, signed(body)).expect(401);
    expect(await active(token)).toBe(true);
  });

  it('revokes credentials in bulk: 202 with an empty body, stored or not', async () => {
    const [one, two] = [await issue(`carol-${platform}`), await issue(`dave-${platform}`)];
    const res = await http()
      .post('/auth/credentials/revoke')
      .send({ credentials: [one, two, one, 'not-a-token'] })
      .expect(202);
    expect(res.text).toBe('');
    expect([await active(one), await active(two)]).toEqual([false, false]);
  });
});

describe('POST /auth/leaked-tokens in an app created without rawBody', () => {
  it('is 500 raw_body_required, naming the fix in the log, and revokes nothing', async () => {
    const fixture = await setup({
      mountControllers: true,
      clients: [{ name: 'web', tokenTtl: 3600 }],
      apiKeyClient: null,
      secretScanning: { publicKeys, publicKeysUrl: null },
      credentialRevocation: false,
    });
    const app = await createPlatformApp(fixture.module, 'Express');
    try {
      const token = (await fixture.module.get(TokenService).issue(await fixture.createUser('erin'), { client: 'web' }))
        .token;
      const body = JSON.stringify([{ token }]);
      const res = await request(app.getHttpServer())
        .post('/auth/leaked-tokens')
        .set('Content-Type', 'application/json')
        .set('Github-Public-Key-Identifier', KEY_ID)
        .set('Github-Public-Key-Signature', signed(body))
        .send(body)
        .expect(500);
      expect(res.body).toMatchObject({ code: 'raw_body_required' });
      expect(await fixture.module.get(TokenVerifier).inspect(token)).not.toBeNull();
      const off = await request(app.getHttpServer())
        .post('/auth/credentials/revoke')
        .send({ credentials: [token] });
      expect(off.status).toBe(404);
      expect(off.body).toMatchObject({ code: 'credential_revocation_disabled' });
    } finally {
      await app.close();
    }
  });
});
