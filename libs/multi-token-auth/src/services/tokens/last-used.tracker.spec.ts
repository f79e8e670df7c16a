import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../contracts/clock/manual.clock';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { LAST_USED_BATCH, LastUsedTracker } from './last-used.tracker';
import { TokenService } from './token.service';
import { TokenVerifier } from './token.verifier';

const T0 = new Date('2026-01-01T00:00:00Z');

describe('LastUsedTracker with many distinct tokens', () => {
  let fixture: Fixture;
  afterEach(() => fixture.close());

  it('sweeps its memory of writes amortized, not on every write past the threshold', async () => {
    const clock = new ManualClock(T0);
    fixture = await setup({ clock });
    const tracker = fixture.module.get(LastUsedTracker);
    const written = tracker['written'];
    let iterations = 0;
    const iterate = Map.prototype[Symbol.iterator];
    written[Symbol.iterator] = function (this: Map<string, number>) {
      iterations++;
      return iterate.call(this);
    };
    const use = async (count: number) => {
      // Ids unknown to the table: the UPDATEs match nothing. A full batch is written at once.
      const writes = Array.from({ length: count }, () =>
        tracker.seen({ id: randomUUID(), lastUsedAt: null } as unknown as AuthToken),
      );
      await tracker.flush();
      await Promise.all(writes);
    };
    // 25 000 distinct tokens used within one interval.
    await use(25_000);
    expect(written.size).toBe(25_000); // all young: nothing to drop yet
    expect(iterations).toBeLessThanOrEqual(2); // swept at 10 000 and at 20 000, not 15 000 times
    clock.advance(60_000);
    await use(1);
    await use(25_000);
    expect(written.size).toBe(25_001); // the old interval's 25 000 went at the next sweep
    expect(iterations).toBe(3);
  }, 60_000);

  it('10 000 verifications over 1 000 tokens: each token written once per interval, a batch per UPDATE', async () => {
    const clock = new ManualClock(T0);
    fixture = await setup({ clock, lastUsedUpdateInterval: 60 });
    const user = await fixture.createUser();
    const service = fixture.module.get(TokenService);
    const issued: string[] = [];
    for (let i = 0; i < 1_000; i++) issued.push((await service.issue(user, { client: 'web' })).token);
    // better-sqlite3 has one connection, and TypeORM one query runner on it: every statement passes here.
    const runner = fixture.module.get(DataSource).createQueryRunner();
    const query = jest.spyOn(runner, 'query');
    const verifier = fixture.module.get(TokenVerifier);
    // Every token used once every 10 s for 100 s: due at 0 s and at 60 s, 2 000 row writes in all.
    for (let round = 0; round < 10; round++) {
      for (const token of issued) await verifier.verify(token);
      clock.advance(10_000);
    }
    await fixture.module.get(LastUsedTracker).flush();
    const updates = query.mock.calls.filter(([sql]) => /^UPDATE "auth_tokens"/.test(sql));
    // One statement per full batch; a flush interval ending mid-round may add a partial one.
    process.stdout.write(`lastUsedAt: ${updates.length} UPDATE statements for 10 000 verifications\n`);
    expect(updates.length).toBeGreaterThanOrEqual(2_000 / LAST_USED_BATCH);
    expect(updates.length).toBeLessThanOrEqual(8);
    const rows = await fixture.tokens.find();
    expect(rows).toHaveLength(1_000);
    expect(new Set(rows.map((row) => row.lastUsedAt?.getTime()))).toEqual(new Set([T0.getTime() + 60_000]));
  }, 120_000);
});
