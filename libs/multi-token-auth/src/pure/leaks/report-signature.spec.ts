import { generateKeyPairSync, sign } from 'node:crypto';
import { signingKeyOf, signs } from './report-signature';

/** GitHub's documented example report, signed by its published test key (docs: secret scanning partner program). */
const GITHUB_EXAMPLE = {
  key: [
    '-----BEGIN PUBLIC KEY-----',
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsz9ugWDj5jK5ELBK42ynytbo38gP',
    'HzZFI03Exwz8Lh/tCfL3YxwMdLjB+bMznsanlhK0RwcGP3IDb34kQDIo3Q==',
    '-----END PUBLIC KEY-----',
  ].join('\n'),
  signature: 'MEUCIFLZzeK++IhS+y276SRk2Pe5LfDrfvTXu6iwKKcFGCrvAiEAhHN2kDOhy2I6eGkOFmxNkOJ+L2y8oQ9A2T9GGJo6WJY=',
  body: '[{"token":"some_token","type":"some_type","url":"some_url","source":"some_source"}]',
};

describe('secret-scanning report signatures (ECDSA P-256, SHA-256, over the raw body)', () => {
  it("verifies GitHub's own example, and nothing else signed by its key", () => {
    const key = signingKeyOf(GITHUB_EXAMPLE.key);
    expect(key).not.toBeNull();
    const body = Buffer.from(GITHUB_EXAMPLE.body);
    expect(signs(GITHUB_EXAMPLE.signature, body, key!)).toBe(true);
    // The same JSON, re-serialised with a space: other bytes, so not the signed report.
    expect(signs(GITHUB_EXAMPLE.signature, Buffer.from(GITHUB_EXAMPLE.body.replace(',', ', ')), key!)).toBe(false);
    expect(signs(GITHUB_EXAMPLE.signature, Buffer.from(`${GITHUB_EXAMPLE.body}\n`), key!)).toBe(false);
  });

  it('verifies a report signed with a local P-256 pair, and refuses another key or a mangled signature', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const body = Buffer.from('[{"token":"mta_x","type":"t","url":"u","source":"content"}]');
    const signature = sign('sha256', body, pair.privateKey).toString('base64');
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(signs(signature, body, signingKeyOf(pem)!)).toBe(true);
    const otherPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(signs(signature, body, signingKeyOf(otherPem)!)).toBe(false);
    for (const bad of ['', 'not base64!', `${signature.slice(0, -4)}AAAA`, 'A'.repeat(500), `${signature}\n`]) {
      expect(signs(bad, body, signingKeyOf(pem)!)).toBe(false);
    }
  });

  it('takes only ECDSA P-256 public keys', () => {
    const pem = (pair: { publicKey: { export(options: object): string | Buffer } }) =>
      pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(signingKeyOf(pem(generateKeyPairSync('ec', { namedCurve: 'P-384' })))).toBeNull();
    expect(signingKeyOf(pem(generateKeyPairSync('rsa', { modulusLength: 1024 })))).toBeNull();
    expect(signingKeyOf(pem(generateKeyPairSync('ed25519')))).toBeNull();
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privatePem = p256.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(signingKeyOf(privatePem)).toBeNull();
    for (const junk of [undefined, 42, '', 'hello', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----']) {
      expect(signingKeyOf(junk)).toBeNull();
    }
  });
});
