import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** What a signing key must be, in words, for start-up errors. */
export const SIGNING_KEY_SHAPE =
  'a PEM public key ("-----BEGIN PUBLIC KEY-----…") of ECDSA on P-256, as GitHub lists them';

/** Longest `Github-Public-Key-Signature` taken: a DER ECDSA P-256 signature is at most 72 bytes (96 in base64). */
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{16,200}={0,2}$/;

/** The key `pem` holds if it is an ECDSA P-256 public key, else `null`. */
export function signingKeyOf(pem: unknown): KeyObject | null {
  // A private key would yield its public half: refused, it has no place in a configuration.
  if (typeof pem !== 'string' || pem.length > 8192 || !pem.includes('-----BEGIN PUBLIC KEY-----')) return null;
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return null;
  }
  const p256 = key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  return p256 && key.type === 'public' ? key : null;
}

/**
 * Whether `signature` (base64 of a DER ECDSA signature, as GitHub's `Github-Public-Key-Signature`
 * carries it) signs the bytes of `body` under `key` with SHA-256. The bytes as received: a body
 * parsed and serialised again need not be the same bytes. Any malformed signature is `false`.
 */
export function signs(signature: string, body: Buffer, key: KeyObject): boolean {
  if (!SIGNATURE_PATTERN.test(signature)) return false;
  try {
    return verify('sha256', body, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
