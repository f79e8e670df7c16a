/**
 * Where the library reads the current time: token expiry, `createdAt`, `lastUsedAt`. Replace it
 * (option `clock`) to test expiry without sleeping; `ManualClock` is one such replacement.
 */
export interface Clock {
  now(): Date;
}

/** The real time. */
export const systemClock: Clock = { now: () => new Date() };
