import {
  PasswordCheckOutrankedException,
  PasswordChecksBusyException,
  TooManyPasswordChecksException,
} from '../../contracts/errors/attempt.exceptions';
import { PasswordCheckQueue } from './password-check.queue';

/** A check that finishes when the spec says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, check: () => opened.then(() => true) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PasswordCheckQueue', () => {
  it('runs at most `concurrency` checks at once and hands each freed slot on', async () => {
    const queue = new PasswordCheckQueue({ concurrency: 2, queuePerClient: 10, queue: 10, maxWait: 10 });
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const runs = gates.map((g, i) => queue.run(`c${i}`, () => (started.push(i), g.check())));
    await settle();
    expect(started).toEqual([0, 1]);
    gates[0].open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('a flooding client waits behind itself: a client with fewer checks lately goes first', async () => {
    const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 10, queue: 20, maxWait: 10 });
    const order: string[] = [];
    const blocker = gate();
    const first = queue.run('flood', blocker.check);
    const flood = Array.from({ length: 6 }, (_, i) =>
      queue.run('flood', () => Promise.resolve((order.push(`flood${i}`), true))),
    );
    const real = queue.run('real', () => Promise.resolve((order.push('real'), true)));
    blocker.open();
    await Promise.all([first, ...flood, real]);
    // The flood has had one check, the real client none: it is next, not seventh.
    expect(order).toEqual(['real', 'flood0', 'flood1', 'flood2', 'flood3', 'flood4', 'flood5']);
  });

  it('refuses past the per-client queue (429) at once; when full, serves whoever asked for less; refuses a newcomer among equals (503)', async () => {
    const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 2, queue: 3, maxWait: 10 });
    const blocker = gate();
    const running = [queue.run('a', blocker.check), queue.run('a', blocker.check), queue.run('a', blocker.check)];
    await expect(queue.run('a', blocker.check)).rejects.toBeInstanceOf(TooManyPasswordChecksException);
    running.push(queue.run('b', blocker.check));
    // Full with a: 2, b: 1. c (0 waiting) takes a's newest place, which is refused as a's own doing.
    const c = queue.run('c', blocker.check);
    await expect(running[2]).rejects.toBeInstanceOf(PasswordCheckOutrankedException);
    // a, b and c have one waiting each, but a asked for 4: d takes a's last place too.
    const d = queue.run('d', blocker.check);
    await expect(running[1]).rejects.toBeInstanceOf(PasswordCheckOutrankedException);
    // b, c and d each wait for one and asked for nothing else: e is refused, and not for its own doing.
    const e = queue.run('e', blocker.check);
    await expect(e).rejects.toBeInstanceOf(PasswordChecksBusyException);
    await expect(e).rejects.not.toBeInstanceOf(PasswordCheckOutrankedException);
    expect(queue.load).toEqual({ running: 1, waiting: 3 });
    blocker.open();
    await Promise.all([running[0], running[3], c, d]);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  describe('who is next (fake timers)', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
    afterEach(() => jest.useRealTimers());

    it('the client with the fewest waiting goes first, then the one with the fewest checks lately, then in turn', async () => {
      const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 4, queue: 20, maxWait: 10 });
      const order: string[] = [];
      const step = gate();
      const runs: Promise<boolean>[] = [];
      const add = (client: string, label: string, check = () => Promise.resolve((order.push(label), true))) =>
        runs.push(queue.run(client, check));
      add('a', 'a0', () => step.check().then(() => (order.push('a0'), true)));
      for (const client of ['a', 'b', 'c']) for (let i = 1; i <= 3; i++) add(client, `${client}${i}`);
      await settle();
      add('new', 'new');
      step.open();
      await Promise.all(runs);
      // The newcomer has 1 waiting, a, b and c 3 each; of those a has had a0, so b (first in turn) goes,
      // and then has fewer waiting than c; a, which had a check already, comes last.
      expect(order).toEqual(['a0', 'new', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3', 'a1', 'a2', 'a3']);
    });

    it('remembers what a client asked for over two windows of maxWait seconds, not one: no instant forgets everyone', async () => {
      const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 4, queue: 20, maxWait: 10 });
      const order: string[] = [];
      const race = async (label: string) => {
        const step = gate();
        const held = queue.run('x', step.check);
        const runs = [
          queue.run('busy', () => Promise.resolve((order.push(`busy ${label}`), true))),
          queue.run('fresh', () => Promise.resolve((order.push(`fresh ${label}`), true))),
        ];
        await settle();
        step.open();
        await Promise.all([held, ...runs]);
      };
      for (let i = 0; i < 3; i++) await queue.run('busy', () => Promise.resolve(true));
      jest.advanceTimersByTime(5_000);
      await race('now'); // busy asked for 3 in this window
      jest.advanceTimersByTime(10_000);
      await race('next window'); // a new window, but the one before still counts: busy asked for 4, fresh 1
      jest.advanceTimersByTime(20_000);
      await race('much later'); // two windows on: neither asked for anything lately, so in turn
      expect(order).toEqual([
        'fresh now',
        'busy now',
        'fresh next window',
        'busy next window',
        'busy much later',
        'fresh much later',
      ]);
    });
  });

  describe('a full queue (fake timers)', () => {
    // Only the queue's own timers are fake; `settle()` still lets promises run.
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
    afterEach(() => jest.useRealTimers());

    /** A queue of 8 places, one check running, filled by `flood` (client name → checks waiting). */
    async function full(flood: Record<string, number>) {
      const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 4, queue: 8, maxWait: 10 });
      const blocker = gate();
      const order: string[] = [];
      const outcome = new Map<string, string>();
      const run = (client: string, label: string) => {
        const done = queue
          .run(client, async () => (await blocker.check(), order.push(label), true))
          .then(
            () => outcome.set(label, 'served'),
            (error: unknown) => outcome.set(label, (error as Error).constructor.name),
          );
        return done;
      };
      const all = [run('first', 'first')];
      for (const [client, count] of Object.entries(flood))
        for (let i = 0; i < count; i++) all.push(run(client, `${client}${i}`));
      await settle();
      return { queue, blocker, order, outcome, all, run };
    }

    it('a newcomer takes the newest place of the client with the most waiting, which is refused (503)', async () => {
      const q = await full({ x: 4, y: 4 });
      expect(q.queue.load).toEqual({ running: 1, waiting: 8 });
      q.all.push(q.run('real', 'real'));
      await settle();
      // y is the last in turn of the two with 4: its newest (y3) yields, its oldest keeps its place.
      expect(q.outcome.get('y3')).toBe('PasswordCheckOutrankedException');
      expect(q.queue.load).toEqual({ running: 1, waiting: 8 });
      q.blocker.open();
      await Promise.all(q.all);
      // Then the newcomer (1 waiting) is next, and y (3 waiting) before x (4).
      expect(q.order).toEqual(['first', 'real', 'y0', 'y1', 'y2', 'x0', 'x1', 'x2', 'x3']);
      expect(q.outcome.get('real')).toBe('served');
      expect(jest.getTimerCount()).toBe(0);
    });

    it('an address with one fewer waiting than the most is refused (swapping would change nothing)', async () => {
      const q = await full({ x: 4, y: 3, z: 1 });
      q.all.push(q.run('y', 'y-more'));
      await settle();
      expect(q.outcome.get('y-more')).toBe('PasswordCheckOutrankedException');
      expect([...q.outcome.values()]).toEqual(['PasswordCheckOutrankedException']);
      // z (1 waiting) is three below x: x yields again, and z is then served in its turn.
      q.all.push(q.run('z', 'z-more'));
      await settle();
      expect(q.outcome.get('x3')).toBe('PasswordCheckOutrankedException');
      q.blocker.open();
      await Promise.all(q.all);
      expect(q.outcome.get('z-more')).toBe('served');
    });

    it('when every waiting client has one place and asked for nothing else, a newcomer is refused, not for its own doing', async () => {
      const q = await full({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1 });
      q.all.push(q.run('real', 'real'));
      await settle();
      expect(q.outcome.get('real')).toBe('PasswordChecksBusyException');
      expect(q.outcome.size).toBe(1);
      q.blocker.open();
      await Promise.all(q.all);
    });

    it('the place taken by a newcomer still times out after maxWait, the yielded one never fires', async () => {
      const q = await full({ x: 4, y: 4 });
      jest.advanceTimersByTime(9_000);
      q.all.push(q.run('real', 'real'));
      await settle();
      expect(q.outcome.get('y3')).toBe('PasswordCheckOutrankedException');
      expect(jest.getTimerCount()).toBe(8); // x0-x3, y0-y2 and real: y3's timer went with its place
      jest.advanceTimersByTime(1_000); // the flood's 10 s are over: all of it is refused, the newcomer is not
      await settle();
      expect(q.outcome.get('x0')).toBe('PasswordChecksBusyException');
      expect(q.outcome.has('real')).toBe(false);
      jest.advanceTimersByTime(9_000);
      await settle();
      expect(q.outcome.get('real')).toBe('PasswordChecksBusyException');
      expect(q.queue.load).toEqual({ running: 1, waiting: 0 });
      q.blocker.open();
      await Promise.all(q.all);
      expect(q.order).toEqual(['first']);
    });
  });

  it('frees the slot when a check fails', async () => {
    const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 5, queue: 5, maxWait: 10 });
    await expect(queue.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run('a', () => Promise.resolve(true))).resolves.toBe(true);
  });

  it('refuses a check that waited longer than maxWait (503), and serves the ones behind it', async () => {
    jest.useFakeTimers();
    try {
      const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 5, queue: 5, maxWait: 10 });
      const blocker = gate();
      const running = queue.run('a', blocker.check);
      const stale = queue.run('b', () => Promise.resolve(true));
      jest.advanceTimersByTime(9_999);
      const fresh = queue.run('c', () => Promise.resolve(true));
      jest.advanceTimersByTime(1);
      await expect(stale).rejects.toBeInstanceOf(PasswordChecksBusyException);
      blocker.open();
      await expect(running).resolves.toBe(true);
      await expect(fresh).resolves.toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
