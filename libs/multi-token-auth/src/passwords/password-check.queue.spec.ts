import { PasswordChecksBusyException, TooManyPasswordChecksException } from '../errors/attempt.exceptions';
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

  it('serves waiting clients in turn, so a flooding client waits behind itself, not others behind it', async () => {
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
    expect(order.indexOf('real')).toBe(1); // one flood check, then the real one: not seventh
  });

  it('refuses past the per-client queue (429) and past the whole queue (503), at once', async () => {
    const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 2, queue: 3, maxWait: 10 });
    const blocker = gate();
    const running = [queue.run('a', blocker.check), queue.run('a', blocker.check), queue.run('a', blocker.check)];
    await expect(queue.run('a', blocker.check)).rejects.toBeInstanceOf(TooManyPasswordChecksException);
    running.push(queue.run('b', blocker.check));
    await expect(queue.run('c', blocker.check)).rejects.toBeInstanceOf(PasswordChecksBusyException);
    blocker.open();
    await Promise.all(running);
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
