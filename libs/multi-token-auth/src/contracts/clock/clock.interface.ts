/**
 * Where the library reads the current time: token expiry, `createdAt`, `lastUsedAt`. Every service
 * injects it by this token, so a test replaces it for all of them with
 * `overrideProvider(Clock).useValue(new ManualClock())` (or the option `clock`) to test expiry
 * without sleeping.
 */
export interface Clock {
  now(): Date;
}

/** Injection token of the configured clock (option `clock`, the system clock by default). */
export const Clock = Symbol('Clock');

/** The real time. */
export const systemClock: Clock = { now: () => new Date() };
