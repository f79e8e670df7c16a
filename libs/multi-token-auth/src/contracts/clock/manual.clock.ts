import type { Clock } from './clock.interface';

/**
 * A clock that moves only when told to: for tests of expiry and refresh.
 *
 * @example
 * const clock = new ManualClock();
 * MultiTokenAuthModule.forRoot({ user: { entity: User }, clock });
 * clock.advance(3_600_000); // one hour later
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }

  set(date: Date): void {
    this.current = date.getTime();
  }
}
