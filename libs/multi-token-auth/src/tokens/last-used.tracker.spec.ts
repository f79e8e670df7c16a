import { randomUUID } from 'node:crypto';
import { ManualClock } from '../clock/manual.clock';
import type { AuthToken } from '../entities/auth-token.entity';
import { setup, type Fixture } from '../testing/setup.fixture';
import { LastUsedTracker } from './last-used.tracker';

describe('LastUsedTracker with many distinct tokens', () => {
  let fixture: Fixture;
  afterEach(() => fixture.close());

  it('sweeps its memory of writes amortized, not on every write past the threshold', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    fixture = await setup({ clock });
    const tracker = fixture.module.get(LastUsedTracker);
    const written = tracker['written'];
    let iterations = 0;
    const iterate = Map.prototype[Symbol.iterator];
    written[Symbol.iterator] = function (this: Map<string, number>) {
      iterations++;
      return iterate.call(this);
    };
    // 25 000 distinct tokens used within one interval (ids unknown to the table: the UPDATEs match nothing).
    for (let i = 0; i < 25_000; i++) {
      await tracker.seen({ id: randomUUID(), lastUsedAt: null } as unknown as AuthToken);
    }
    expect(written.size).toBe(25_000); // all young: nothing to drop yet
    expect(iterations).toBeLessThanOrEqual(2); // swept at 10 000 and at 20 000, not 15 000 times
    clock.advance(60_000);
    await tracker.seen({ id: randomUUID(), lastUsedAt: null } as unknown as AuthToken);
    for (let i = 0; i < 25_000; i++) await tracker.seen({ id: randomUUID(), lastUsedAt: null } as unknown as AuthToken);
    expect(written.size).toBe(25_001); // the old interval's 25 000 went at the next sweep
    expect(iterations).toBe(3);
  }, 60_000);
});
