import type { AuthRequest } from './auth-request';

/** What the request presents: nothing, something malformed, or one bearer token. */
export type BearerCredentials = { kind: 'none' } | { kind: 'malformed' } | { kind: 'token'; token: string };

/** RFC 9110 `auth-scheme = token`: the scheme word, read from the start of the header value. */
const AUTH_SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** RFC 9110 `token68` (RFC 6750's `b64token`): the only form a bearer credential may take. */
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

const SP = 0x20;
const HTAB = 0x09;

function isSpaceOrTab(code: number): boolean {
  return code === SP || code === HTAB;
}

function isOurs(scheme: string, alternative: string | undefined): boolean {
  return /^bearer$/i.test(scheme) || (alternative !== undefined && scheme.toLowerCase() === alternative);
}

function hasAccessTokenParameter(source: unknown): boolean {
  return typeof source === 'object' && source !== null && 'access_token' in source;
}

/**
 * Reads `Authorization: Bearer <token>` by RFC 9110's grammar, `credentials = auth-scheme
 * [ 1*SP token68 ]`, with the scheme case-insensitive. Accepted between the scheme and the token:
 * one or more spaces or TABs (HTAB is HTTP's other whitespace, `RWS = 1*( SP / HTAB )`, and DRF
 * accepts it); leading and trailing spaces and TABs are ignored, as in any HTTP field value.
 * Malformed (400): our scheme with no token, with any other separator (a vertical tab, a
 * no-break space…), with a second value, or with a token outside token68's characters
 * (`A-Z a-z 0-9 - . _ ~ + /`, then `=` padding). Another scheme (e.g. `Basic`) counts as no bearer
 * credentials, so the answer is a plain challenge. Refuses `access_token` in the query string or
 * body: URLs and bodies end up in access logs. `alternativeScheme` (lower case;
 * `legacyTokens.scheme`, e.g. DRF's `token`) is read as `Bearer` is.
 */
export function parseBearer(req: AuthRequest, alternativeScheme?: string): BearerCredentials {
  // Express parses `req.query` on every access: skip it when the URL has no query string at all.
  const mayHaveQuery = req.url === undefined || req.url.includes('?');
  if ((mayHaveQuery && hasAccessTokenParameter(req.query)) || hasAccessTokenParameter(req.body)) {
    return { kind: 'malformed' };
  }
  const header = req.headers.authorization;
  if (header === undefined) return { kind: 'none' };
  if (typeof header !== 'string' || repeatsAuthorization(req)) return { kind: 'malformed' };
  return parseCredentials(header, alternativeScheme);
}

/** One `Authorization` value (a header, or a socket payload's `authorization` field) by the grammar above. */
export function parseCredentials(header: string, alternativeScheme?: string): BearerCredentials {
  // The usual header, `Bearer <token>` with one space and nothing around it, without the general
  // path's trim and regular expressions; what the general path would conclude, as a spec checks.
  if (
    header.startsWith('Bearer ') &&
    header.length > 7 &&
    !isSpaceOrTab(header.charCodeAt(7)) &&
    !isSpaceOrTab(header.charCodeAt(header.length - 1))
  ) {
    const token = header.slice(7);
    return TOKEN68.test(token) ? { kind: 'token', token } : { kind: 'malformed' };
  }
  const value = trimSpacesAndTabs(header);
  const scheme = AUTH_SCHEME.exec(value)?.[0];
  if (scheme === undefined || !isOurs(scheme, alternativeScheme)) return { kind: 'none' };
  // Our scheme followed by nothing, or by anything but SP / HTAB ("Bearer\u000bx", "Bearer,x"), is malformed.
  let start = scheme.length;
  if (start === value.length || !isSpaceOrTab(value.charCodeAt(start))) return { kind: 'malformed' };
  while (isSpaceOrTab(value.charCodeAt(start))) start++;
  const token = value.slice(start);
  return TOKEN68.test(token) ? { kind: 'token', token } : { kind: 'malformed' };
}

/**
 * Strips SP and HTAB at both ends with a loop: `/[ \t]+$/` backtracks quadratically on a long run
 * of spaces followed by something else, and the value is the client's to choose.
 */
function trimSpacesAndTabs(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isSpaceOrTab(value.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/**
 * Node keeps only the first of several `Authorization` headers in `req.headers`; a proxy in front
 * may use the last. Two answers to "who is this?" is a malformed request, so the raw list is read.
 */
function repeatsAuthorization(req: AuthRequest): boolean {
  const raw = req.rawHeaders ?? req.raw?.rawHeaders;
  if (!raw) return false;
  let seen = 0;
  // Names are at even indexes; the length test skips almost every name without lower-casing it.
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization' && ++seen > 1) return true;
  }
  return false;
}
