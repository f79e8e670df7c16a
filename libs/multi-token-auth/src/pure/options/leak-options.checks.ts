import type {
  CredentialRevocationOptions,
  SecretScanningKey,
  SecretScanningOptions,
} from '../../contracts/leaked-token.options';
import { SIGNING_KEY_SHAPE, signingKeyOf } from '../leaks/report-signature';
import {
  checkAll,
  fail,
  HTTPS_OR_LOOPBACK,
  matching,
  nullable,
  plainObject,
  rate,
  secondsBetween,
  text,
  type Check,
} from './option.checks';

/** `secretScanning`: keys that parse as ECDSA P-256, and a URL fetched over TLS (or on this machine). */
const SECRET_SCANNING_CHECKS: Record<keyof SecretScanningOptions, Check> = {
  publicKeys: (value, path) => {
    if (!Array.isArray(value) || value.length > 100)
      fail(`${path} must be an array of at most 100 {keyIdentifier, key}.`);
    (value as unknown[]).forEach((entry, index) => {
      const at = `${path}[${index}]`;
      plainObject(entry, at);
      checkAll(entry as object, { keyIdentifier: text, key: () => undefined }, at);
      const { keyIdentifier, key } = entry as Partial<SecretScanningKey>;
      if (keyIdentifier === undefined) fail(`${at}.keyIdentifier is required.`);
      if (!signingKeyOf(key)) fail(`${at}.key must be ${SIGNING_KEY_SHAPE}.`);
    });
  },
  // https, or http to this machine only (a test's key server): keys fetched in the clear could be swapped.
  publicKeysUrl: nullable(matching(HTTPS_OR_LOOPBACK, 'an https:// URL (or http:// to 127.0.0.1, localhost or [::1])')),
  publicKeysRefresh: secondsBetween(60, 604_800),
};

const CREDENTIAL_REVOCATION_CHECKS: Record<keyof CredentialRevocationOptions, Check> = {
  perIp: nullable(rate),
};

/** The checks of the options about leaked tokens, by option name. */
export const LEAK_OPTION_CHECKS: Record<'secretScanning' | 'credentialRevocation', Check> = {
  secretScanning: nullable((value, path) => {
    plainObject(value, path);
    checkAll(value as object, SECRET_SCANNING_CHECKS, path);
  }),
  credentialRevocation: (value, path) => {
    if (value === false) return;
    plainObject(value, path);
    checkAll(value as object, CREDENTIAL_REVOCATION_CHECKS, path);
  },
};
