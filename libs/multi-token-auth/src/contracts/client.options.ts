/** An API client: web, mobile, cli, an API-key client… Every token belongs to one. */
export interface ClientDefinition {
  /** Unique name, 1–50 characters of `a-z 0-9 _ -`. */
  name: string;
  /**
   * Lifetime of the client's tokens, in **seconds**; `null` means its tokens never expire.
   * Default: the module's `defaultTokenTtl`.
   */
  tokenTtl?: number | null | undefined;
  /** Most unexpired tokens one user may hold on this client; `null` (default) means no limit. */
  maxTokensPerUser?: number | null | undefined;
  /**
   * Rate limit per user on this client, `"N/s"`, `"N/m"`, `"N/h"` or `"N/d"`, applied to routes
   * marked `@ClientRateLimit()`. `null` (default) falls back to the module's `defaultThrottleRate`.
   */
  throttleRate?: string | null | undefined;
  /**
   * Sliding expiry, in **seconds**: a token expires after this long without use, and each use
   * pushes its expiry back (written at most once per `lastUsedUpdateInterval`, or per half of this,
   * whichever is shorter). Replaces `tokenTtl` for the client's tokens. `null` (default) = off.
   */
  idleTimeout?: number | null | undefined;
  /**
   * Absolute cap, in **seconds** after a token's creation: no use, refresh or renewal keeps it
   * alive past `createdAt + absoluteLifetime` (OWASP's absolute timeout). `null` (default) = none.
   */
  absoluteLifetime?: number | null | undefined;
  /**
   * Browser client: login sets the token as an `HttpOnly` cookie instead of returning it, the
   * guards accept the cookie, unsafe requests by cookie need `X-CSRF-Token` (see
   * docs/configuration.md, "Cookies"). Default `false`.
   */
  cookie?: boolean | undefined;
  /**
   * The scopes this client's tokens may hold (`["orders:read", "orders:write"]`): a login or key
   * may ask for any subset, never more (403 `scope_not_allowed`), and a check of a token is always
   * narrowed to this list as it is now. Absent or `null` (default): no restriction, every scope
   * check passes, as before scopes existed.
   */
  scopes?: string[] | null | undefined;
  /**
   * The scopes a token of this client gets when its login or creation names none; must be within
   * `scopes`. Absent or `null` (default): all of `scopes`.
   */
  defaultScopes?: string[] | null | undefined;
  /**
   * Refresh token rotation with reuse detection (RFC 9700 §4.14.2, for the client's session
   * tokens): `POST /auth/refresh` answers a new token and the presented one works on for
   * `rotationGrace` seconds only; presented after that, it is taken as stolen: every token of its
   * family (descended from the same login) is revoked and the answer is 401 `token_reused`. Set in
   * the options only (like `cookie`), never stored. Default `false`: refresh moves the expiry.
   */
  rotateOnRefresh?: boolean | undefined;
  /**
   * Seconds a rotated-out token keeps working (in-flight requests, a second tab's refresh), 0 to
   * 300. Default 30. Only with `rotateOnRefresh`.
   */
  rotationGrace?: number | undefined;
}
