import { hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { LegacyTokenFormat } from '../../contracts/multi-token-auth.options';
import { randomBase62, toBase62 } from './base62.util';
import { LEGACY_LENGTH_RANGE, legacyPattern } from './legacy-token.format';

/** Random base62 characters in a token: 32 × log2(62) ≈ 190.5 bits. */
export const TOKEN_RANDOM_LENGTH = 32;
/** Base62 CRC32 of the random part; 62^6 > 2^32, so six characters always suffice. */
export const TOKEN_CHECKSUM_LENGTH = 6;
const BODY_PATTERN = new RegExp(`^[0-9A-Za-z]{${TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH}}$`);

/**
 * The token format `<prefix>_<32 random base62><6 base62 CRC32>`, like GitHub's: the prefix lets
 * secret scanners spot leaked tokens and the checksum lets them (and us) reject typos and forgeries
 * without touching the database.
 */
export class TokenCodec {
  private readonly legacy?: RegExp;
  /** `<prefix>_`, built once rather than on every request. */
  private readonly lead: string;

  /** @param legacyFormat the shape of imported legacy tokens (see `legacyTokens`) */
  constructor(
    readonly prefix: string,
    legacyFormat?: LegacyTokenFormat,
  ) {
    if (legacyFormat) this.legacy = legacyPattern(legacyFormat);
    this.lead = `${prefix}_`;
  }

  generate(): string {
    const random = randomBase62(TOKEN_RANDOM_LENGTH);
    return `${this.prefix}_${random}${checksum(random)}`;
  }

  /** Shape and checksum only; pure CPU, no I/O. Safe on any input, including odd bytes. */
  isWellFormed(token: unknown): token is string {
    if (typeof token !== 'string') return false;
    return this.isOwn(token) || this.isLegacy(token);
  }

  /**
   * Whether the library claims `token` as its own to answer for: it starts with `<prefix>_` (however
   * mangled the rest: a truncated or mistyped token of ours is still ours, and its sender must hear
   * `invalid_token`), or has the `legacyTokens.format` shape. Anything else, such as a JWT, is some
   * other scheme's credential. Shape only: pure CPU, no I/O.
   */
  claims(token: string): boolean {
    return token.startsWith(this.lead) || this.isLegacy(token);
  }

  /** Of the shape `legacyTokens.format` describes (never, without that option). */
  isLegacy(token: string): boolean {
    return this.legacy !== undefined && token.length <= LEGACY_LENGTH_RANGE[1] && this.legacy.test(token);
  }

  private isOwn(token: string): boolean {
    if (!token.startsWith(this.lead)) return false;
    const body = token.slice(this.lead.length);
    if (!BODY_PATTERN.test(body)) return false;
    // A plain comparison is right here: the checksum is a public function of the presented string,
    // so its timing reveals nothing that the string does not (and this runs on every request).
    return body.slice(TOKEN_RANDOM_LENGTH) === checksum(body.slice(0, TOKEN_RANDOM_LENGTH));
  }

  /** Hex SHA-256: the only form in which a token is ever stored. */
  digest(token: string): string {
    // One-shot hash (Node ≥ 20.12): no Hash object per request on the hot path.
    return hash('sha256', token, 'hex');
  }
}

/** Longest text any route takes as a presented token (the library's are 40-odd characters). */
export const MAX_TOKEN_TEXT = 4096;

/**
 * Whether `value` can be read as a presented token at all: a string of 1 to 4096 characters, what the
 * RFC endpoints and the leak routes take before the codec decides whether it is one of ours.
 */
export function isTokenText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TOKEN_TEXT;
}

function checksum(random: string): string {
  return toBase62(crc32(random), TOKEN_CHECKSUM_LENGTH);
}
