import type { AuthToken } from '../../contracts/entities/auth-token.entity';

/**
 * Marks a request that one of the library's guards has fully passed, so that a second one (a
 * global guard plus a controller's `@UseGuards`) neither queries the store nor counts it again.
 */
export const AUTHORIZED = Symbol('multiTokenAuthAuthorized');

/** Marks a request whose token came from the session cookie (not from `Authorization`). */
export const AUTHENTICATED_BY_COOKIE = Symbol('multiTokenAuthByCookie');

/** Marks an HTTP request already counted against its token's own `rateLimit` (by the Passport strategy). */
export const KEY_RATE_COUNTED = Symbol('multiTokenAuthKeyRateCounted');

/** The units of its token's quota an HTTP request has spent so far (the Passport strategy spends 1). */
export const QUOTA_SPENT = Symbol('multiTokenAuthQuotaSpent');

/** Set by `PassportBearerAuthGuard` before its strategy runs: the guard spends the route's cost itself. */
export const QUOTA_BY_GUARD = Symbol('multiTokenAuthQuotaByGuard');

/** The parts of an HTTP request the library reads and writes (Express and Fastify alike). */
export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The request target (path and query string). */
  url?: string;
  /** Express: the target before any router rewrote `url`. */
  originalUrl?: string;
  query?: unknown;
  /** Node's header list as received, names and values alternating (Express). */
  rawHeaders?: string[];
  /** Fastify: the Node request underneath. */
  raw?: { rawHeaders?: string[] };
  body?: unknown;
  ip?: string;
  user?: unknown;
  /** Set once the bearer token is verified; read it with `@CurrentToken()`. */
  authToken?: AuthToken;
  /** Set when a library guard has fully passed this request (auth, clients, rate limit). */
  [AUTHORIZED]?: true;
  [AUTHENTICATED_BY_COOKIE]?: true;
  [KEY_RATE_COUNTED]?: true;
  [QUOTA_SPENT]?: number;
  [QUOTA_BY_GUARD]?: true;
  method?: string;
}

/** The response methods used to send RFC 6750 challenges. */
export interface AuthResponse {
  setHeader?(name: string, value: string | string[]): unknown;
  header?(name: string, value: string | string[]): unknown;
  getHeader?(name: string): unknown;
}

export function setResponseHeader(res: AuthResponse, name: string, value: string | string[]): void {
  if (typeof res.setHeader === 'function') res.setHeader(name, value);
  else if (typeof res.header === 'function') res.header(name, value);
}

/** Adds values to a header that may already have some (`Set-Cookie`), on Express and Fastify. */
export function appendResponseHeader(res: AuthResponse, name: string, values: string[]): void {
  const existing = res.getHeader?.(name);
  const before = Array.isArray(existing)
    ? existing.filter((value): value is string => typeof value === 'string')
    : typeof existing === 'string'
      ? [existing]
      : [];
  setResponseHeader(res, name, [...before, ...values]);
}
