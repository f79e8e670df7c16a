/** GitHub's list of the keys that sign its secret-scanning reports. */
export const GITHUB_SECRET_SCANNING_KEYS_URL = 'https://api.github.com/meta/public_keys/secret_scanning';

/** One key that signs secret-scanning reports, as GitHub's list gives it. */
export interface SecretScanningKey {
  /** The `key_identifier` a report names in its `Github-Public-Key-Identifier` header. */
  keyIdentifier: string;
  /** The public key, PEM (`-----BEGIN PUBLIC KEY-----…`): ECDSA on P-256. */
  key: string;
}

/**
 * The receiver of GitHub's secret-scanning reports, `POST /auth/leaked-tokens` (docs/http-api.md):
 * every token a signed report names is revoked at once, and `token.leaked` says where it was found.
 */
export interface SecretScanningOptions {
  /** Keys that sign reports, given here (checked at start-up); used before any fetched key. */
  publicKeys?: SecretScanningKey[] | undefined;
  /**
   * Where to fetch the signing keys from (GitHub's `{public_keys: [{key_identifier, key}]}` list):
   * `https://`, or `http://` to a loopback address only. Fetched when a report names a key not yet
   * known, at most once a minute, and kept for `publicKeysRefresh`. `null`: `publicKeys` only.
   * Default GitHub's list, `GITHUB_SECRET_SCANNING_KEYS_URL`.
   */
  publicKeysUrl?: string | null | undefined;
  /** Seconds a fetched list is kept before the next report fetches it again (60 to 604800). Default 3600. */
  publicKeysRefresh?: number | undefined;
}

/** `POST /auth/credentials/revoke`: anyone who holds tokens may have them revoked, in bulk. */
export interface CredentialRevocationOptions {
  /** Requests per address (`"60/h"`, the throttle-rate format); `null`: no limit. Default `"60/h"`. */
  perIp?: string | null | undefined;
}
