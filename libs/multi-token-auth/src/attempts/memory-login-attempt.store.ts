import type { Clock } from '../clock/clock.interface';
import type { AttemptCount, LoginAttemptStore } from './login-attempt-store.interface';

/** Most keys held; past it the oldest window is dropped (an attacker cycling IPs cannot grow memory). */
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
      if (this.windows.size >= MAX_KEYS) this.windows.delete(this.windows.keys().next().value as string);
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return Promise.resolve({ count: window.count, resetInMs: window.endsAt - now });
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
