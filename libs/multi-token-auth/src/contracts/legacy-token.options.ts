/**
 * The shape of a legacy token: `length` characters of one `alphabet` class, e.g. DRF's
 * `{ alphabet: /[0-9a-f]/, length: 40 }` (`DRF_TOKEN_FORMAT`). A class and a length, not any
 * RegExp: the check runs on every unauthenticated request, so it must take linear time.
 */
export interface LegacyTokenFormat {
  /** One character class such as `/[0-9a-f]/` or `/[A-Za-z0-9]/` (flag `i` allowed); no whitespace or control characters. */
  alphabet: RegExp;
  /** Characters: a number, or `[min, max]`, within 16–128. */
  length: number | readonly [number, number];
}

/** Tokens imported from a system without prefix or checksum (DRF's authtoken: 40 hex characters). */
export interface LegacyTokenOptions {
  /**
   * The shape of a legacy token (`DRF_TOKEN_FORMAT` for DRF). Only values of this shape, or of the
   * library's own format, are looked up; every other malformed token is still refused before the
   * database. Keep it as narrow as the old system's tokens.
   */
  format: LegacyTokenFormat;
  /** The client imported tokens belong to (one of `clients`, not the API-key client). */
  client: string;
  /**
   * Another word for `Bearer` in `Authorization` headers, for clients that cannot change what they
   * send: `'Token'` as DRF's clients do (`Authorization: Token <key>`). Case-insensitive; HTTP
   * guards and the Passport strategy only. Default: `Bearer` only.
   */
  scheme?: string | undefined;
}
