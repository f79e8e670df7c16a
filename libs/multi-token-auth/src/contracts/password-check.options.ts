/** How much password hashing may run at once, and how much may wait (docs/security.md, "Password hashing cannot be used to starve real logins"). */
export interface PasswordCheckLimits {
  /** Checks running at once. Default: the CPU count, at most 4 (libuv's default thread pool). */
  concurrency: number;
  /** Checks one client (an IPv4 address or an IPv6 /64) may have waiting; past it, 429. Default 4. */
  queuePerClient: number;
  /**
   * Checks waiting in all. Default 256. When full, a newcomer takes the place of the check that
   * would be served last, if it would be served before it (503 for the request that yields); else 503.
   */
  queue: number;
  /**
   * Longest a check waits for its turn, in **seconds**; past it, 503. Default 10. Clients that
   * gave up (a timed-out request) would otherwise keep their place and cost a hash later.
   */
  maxWait: number;
}
