import { conformanceTestApi, type ConformanceTestApi } from './conformance.api';
import type { LoginAttemptStore } from '../contracts/login-attempt-store.interface';

/** What a conformance run needs: a fresh store, and a way to move its clock when it has one to move. */
export interface LoginAttemptStoreHarness {
  store: LoginAttemptStore;
  /** Moves time forward (a `ManualClock`); absent for stores on another clock (Redis keeps its own). */
  advance?(ms: number): void;
  close(): Promise<void>;
}

let sequence = 0;

/** The `LoginAttemptStore` contract, run by every implementation's spec. */
export function describeLoginAttemptStore(
  name: string,
  factory: () => Promise<LoginAttemptStoreHarness>,
  api?: ConformanceTestApi,
): void {
  const { describe, it, beforeEach, afterEach, expect } = conformanceTestApi(api, 'describeLoginAttemptStore');
  describe(`LoginAttemptStore contract: ${name}`, () => {
    let h: LoginAttemptStoreHarness;
    let key: string;
    beforeEach(async () => {
      h = await factory();
      key = `user:${++sequence}:10.0.0.1`;
    });
    afterEach(() => h.close());

    it('counts attempts in a window that starts at the first one and reports the time left', async () => {
      const first = await h.store.hit(key, 60_000);
      expect(first.count).toBe(1);
      expect(first.resetInMs).toBeGreaterThan(59_000);
      expect(first.resetInMs).toBeLessThanOrEqual(60_000);
      expect((await h.store.hit(key, 60_000)).count).toBe(2);
      expect((await h.store.hit(key, 60_000)).count).toBe(3);
    });

    it('keeps keys apart', async () => {
      await h.store.hit(key, 60_000);
      await h.store.hit(key, 60_000);
      expect((await h.store.hit(`${key}:other`, 60_000)).count).toBe(1);
    });

    it('takes one back on undo, never below zero, and keeps the window', async () => {
      await h.store.hit(key, 60_000);
      await h.store.hit(key, 60_000);
      await h.store.undo(key);
      expect((await h.store.hit(key, 60_000)).count).toBe(2);
      for (let i = 0; i < 5; i++) await h.store.undo(key);
      await h.store.undo(`${key}:never-seen`);
      expect((await h.store.hit(key, 60_000)).count).toBe(1);
    });

    it('forgets a key on reset', async () => {
      for (let i = 0; i < 4; i++) await h.store.hit(key, 60_000);
      await h.store.reset(key);
      expect((await h.store.hit(key, 60_000)).count).toBe(1);
    });

    it('counts concurrent attempts exactly', async () => {
      const counts = await Promise.all(Array.from({ length: 25 }, () => h.store.hit(key, 60_000)));
      expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    });

    it('starts again from zero once the window is over; attempts inside it never extend it', async () => {
      if (!h.advance) return; // a store on another clock: covered by its own spec
      await h.store.hit(key, 60_000);
      h.advance(59_000);
      expect(await h.store.hit(key, 60_000)).toEqual({ count: 2, resetInMs: 1_000 });
      h.advance(1_000);
      expect(await h.store.hit(key, 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    });
  });
}
