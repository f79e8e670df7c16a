import type { Clock } from '../../contracts/clock/clock.interface';
import type { AttemptCount, LoginAttemptStore } from '../../contracts/login-attempt-store.interface';

/**
 * Most keys held; when full, windows that are over are dropped, and only then the oldest. The
 * limiter creates username keys only for addresses under their own limit, so filling this takes
 * about 1 000 addresses (or IPv6 /64s) at once.
 */
const MAX_KEYS = 100_000;

/** Attempt counters in this process, on the library's clock (so specs move time with a `ManualClock`). */
export class InMemoryLoginAttemptStore implements LoginAttemptStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly clock: Clock) {}

  hit(key: string, windowMs: number): Promise<AttemptCount> {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= MAX_KEYS) this.makeRoom(now);
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return Promise.resolve({ count: window.count, resetInMs: window.endsAt - now });
  }

  /** Drops the windows that are over; only if none is, the oldest (the map must stay bounded). */
  private makeRoom(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    if (this.windows.size >= MAX_KEYS) this.windows.delete(this.windows.keys().next().value as string);
  }

  undo(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count--;
    return Promise.resolve();
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }
}
