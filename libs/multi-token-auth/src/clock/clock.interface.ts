/**
 * Where the library reads the current time: token expiry, `createdAt`, `lastUsedAt`. Replace it
 * (option `clock`) to test expiry without sleeping; `ManualClock` is one such replacement.
 */
export interface Clock {
  now(): Date;
}

/** Injection token of the configured clock (option `clock`, the system clock by default). */
export const Clock = Symbol('Clock');

/** The real time. */
export const systemClock: Clock = { now: () => new Date() };
