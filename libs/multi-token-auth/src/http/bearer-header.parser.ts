import type { AuthRequest } from './auth-request';

/** What the request presents: nothing, something malformed, or one bearer token. */
export type BearerCredentials = { kind: 'none' } | { kind: 'malformed' } | { kind: 'token'; token: string };

function isOurs(scheme: string, alternative: string | undefined): boolean {
  return /^bearer$/i.test(scheme) || (alternative !== undefined && scheme.toLowerCase() === alternative);
}

function hasAccessTokenParameter(source: unknown): boolean {
  return typeof source === 'object' && source !== null && 'access_token' in source;
}

/**
 * Reads `Authorization: Bearer <token>` (scheme case-insensitive, as RFC 7235 says). Refuses
 * `access_token` in the query string or body: URLs and bodies end up in access logs.
 * Another scheme (e.g. Basic) counts as no bearer credentials, so the answer is a plain challenge.
 * `alternativeScheme` (lower case; `legacyTokens.scheme`, e.g. DRF's `token`) is read as `Bearer` is.
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
  const parts = header.split(' ');
  if (parts.length !== 2) return isOurs(parts[0], alternativeScheme) ? { kind: 'malformed' } : { kind: 'none' };
  const [scheme, token] = parts;
  if (!isOurs(scheme, alternativeScheme)) return { kind: 'none' };
  return token ? { kind: 'token', token } : { kind: 'malformed' };
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
