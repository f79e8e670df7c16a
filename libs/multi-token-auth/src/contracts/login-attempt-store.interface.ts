/** A counter in a fixed window, as a `LoginAttemptStore` reports it. */
export interface AttemptCount {
  /** Attempts counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetInMs: number;
}

/**
 * Counters of password attempts (per username+IP and per IP), shared by every instance when they
 * share the store. The default is in memory; with the `redis` option it is Redis, the same server
 * as the rate-limit counters. `describeLoginAttemptStore()` is the contract every implementation passes.
 */
export interface LoginAttemptStore {
  /**
   * Counts one attempt and returns the count. A window starts at the first attempt and lasts
   * `windowMs`; attempts inside it never extend it.
   */
  hit(key: string, windowMs: number): Promise<AttemptCount>;
  /** Takes one attempt back (it did not fail after all); never below zero. */
  undo(key: string): Promise<void>;
  /** Forgets the key (a correct password clears its username+IP count). */
  reset(key: string): Promise<void>;
}

/** Injection token of the login attempt store. */
export const LoginAttemptStore = Symbol('LoginAttemptStore');
