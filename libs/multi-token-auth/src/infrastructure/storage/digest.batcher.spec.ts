import { StoreTimeoutError } from '../../contracts/errors/store-timeout.error';
import {
  DIGEST_BATCH_MAX,
  DIGEST_STALL_MS,
  DIGEST_STATEMENTS_IN_FLIGHT,
  DigestBatcher,
  type DigestRow,
} from './digest.batcher';

/** A statement the spec answers by hand: the digests it was sent, and how to settle it. */
interface Sent {
  digests: string[];
  answer(rows: DigestRow[]): void;
  fail(error: unknown): void;
}

describe('DigestBatcher', () => {
  let sent: Sent[];
  let batcher: DigestBatcher;
  const row = (digest: string): DigestRow => ({ key: digest, other: `row of ${digest}` });

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    sent = [];
    batcher = new DigestBatcher(
      (digests) => new Promise((resolve, reject) => sent.push({ digests, answer: resolve, fail: reject })),
      (found) => found.key,
      5000,
    );
  });
  afterEach(() => jest.useRealTimers());

  it('sends a lookup alone at once, and answers it with its row (or undefined)', async () => {
    const found = batcher.find('a');
    expect(sent.map((s) => s.digests)).toEqual([['a']]);
    sent[0].answer([row('a')]);
    await expect(found).resolves.toEqual(row('a'));
    const missing = batcher.find('b');
    sent[1].answer([]);
    await expect(missing).resolves.toBeUndefined();
  });

  it('lookups made while a statement is out go together in the next one, each answered with its own row', async () => {
    const first = batcher.find('a');
    const waiting = ['b', 'c', 'b', 'missing'].map((digest) => batcher.find(digest));
    expect(sent).toHaveLength(1);
    sent[0].answer([row('a')]);
    await first;
    expect(sent[1].digests).toEqual(['b', 'c', 'missing']); // distinct
    sent[1].answer([row('c'), row('b')]); // any order
    await expect(Promise.all(waiting)).resolves.toEqual([row('b'), row('c'), row('b'), undefined]);
    expect(sent).toHaveLength(2);
  });

  it(`carries at most ${DIGEST_BATCH_MAX} digests a statement`, async () => {
    const first = batcher.find('first');
    const many = Array.from({ length: DIGEST_BATCH_MAX + 5 }, (_, i) => batcher.find(`d${i}`));
    sent[0].answer([]);
    await first;
    expect(sent[1].digests).toHaveLength(DIGEST_BATCH_MAX);
    sent[1].answer([]);
    await Promise.all(many.slice(0, DIGEST_BATCH_MAX));
    expect(sent[2].digests).toEqual(['d100', 'd101', 'd102', 'd103', 'd104']);
    sent[2].answer([row('d104')]);
    await expect(many[DIGEST_BATCH_MAX + 4]).resolves.toEqual(row('d104'));
  });

  it(`a statement out for ${DIGEST_STALL_MS} ms no longer holds the next back, up to ${DIGEST_STATEMENTS_IN_FLIGHT} at once`, async () => {
    void batcher.find('stuck').catch(() => undefined);
    const next = batcher.find('b');
    expect(sent).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(DIGEST_STALL_MS);
    expect(sent.map((s) => s.digests)).toEqual([['stuck'], ['b']]);
    sent[1].answer([row('b')]);
    await expect(next).resolves.toEqual(row('b'));
    // Hung statements fill the slots; then lookups wait for one of them to give up.
    for (let i = 0; sent.length < DIGEST_STATEMENTS_IN_FLIGHT + 1; i++) {
      void batcher.find(`hung${i}`).catch(() => undefined);
      await jest.advanceTimersByTimeAsync(DIGEST_STALL_MS);
    }
    expect(sent).toHaveLength(DIGEST_STATEMENTS_IN_FLIGHT + 1);
    const queued = batcher.find('queued');
    await jest.advanceTimersByTimeAsync(DIGEST_STALL_MS * 2);
    expect(sent).toHaveLength(DIGEST_STATEMENTS_IN_FLIGHT + 1);
    sent[2].answer([]);
    await jest.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)?.digests).toEqual(['queued']);
    sent.at(-1)?.answer([row('queued')]);
    await expect(queued).resolves.toEqual(row('queued'));
  });

  it('bounds each lookup from its start, its wait for a slot included, and frees the slot of a statement that timed out', async () => {
    const hung = batcher.find('hung').catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(10);
    let behindAt = 0;
    const behind = batcher.find('behind').catch((error: unknown) => ((behindAt = Date.now()), error)); // waits
    await jest.advanceTimersByTimeAsync(4990);
    await expect(hung).resolves.toBeInstanceOf(StoreTimeoutError);
    // `behind` was sent beside the stalled statement and is still within its own 5 s.
    expect(sent[1].digests).toEqual(['behind']);
    await jest.advanceTimersByTimeAsync(60);
    await expect(behind).resolves.toBeInstanceOf(StoreTimeoutError);
    expect(behindAt - 1_000_000).toBe(10 + 5000); // 5 s after it began, not after it was sent
    // Late answers settle nothing, and the slots are free: a new lookup goes at once.
    sent[0].answer([row('hung')]);
    sent[1].answer([row('behind')]);
    const fresh = batcher.find('fresh');
    expect(sent.at(-1)?.digests).toEqual(['fresh']);
    sent.at(-1)?.answer([row('fresh')]);
    await expect(fresh).resolves.toEqual(row('fresh'));
  });

  it("a failed statement fails its lookups with the driver's error, and the next goes", async () => {
    const first = batcher.find('a');
    const second = batcher.find('b');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    sent[0].fail(refused);
    await expect(first).rejects.toBe(refused);
    sent[1].fail(refused);
    await expect(second).rejects.toBe(refused);
    const third = batcher.find('c');
    sent[2].answer([row('c')]);
    await expect(third).resolves.toEqual(row('c'));
  });

  it('a statement that throws before it starts fails its lookups, not the caller', async () => {
    const throwing = new DigestBatcher(
      () => {
        throw new Error('Cannot use a pool after calling end');
      },
      (found) => found.key,
      5000,
    );
    await expect(throwing.find('a')).rejects.toThrow('Cannot use a pool after calling end');
  });
});
