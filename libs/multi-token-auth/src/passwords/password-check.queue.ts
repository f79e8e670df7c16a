import { PasswordChecksBusyException, TooManyPasswordChecksException } from '../errors/attempt.exceptions';

/** How much password hashing may run at once, and how much may wait (see README, "Brute force"). */
export interface PasswordCheckLimits {
  /** Checks running at once. Default: the CPU count, at most 4 (libuv's default thread pool). */
  concurrency: number;
  /** Checks one client (an IPv4 address or an IPv6 /64) may have waiting; past it, 429. Default 4. */
  queuePerClient: number;
  /**
   * Checks waiting in all. Default 256. When full, the client with the most waiting yields its
   * newest place to a client with at least two fewer (503 for the request that yields); else 503.
   */
  queue: number;
  /**
   * Longest a check waits for its turn, in **seconds**; past it, 503. Default 10. Clients that
   * gave up (a timed-out request) would otherwise keep their place and cost a hash later.
   */
  maxWait: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Bounds concurrent password hashing and shares it fairly between clients. scrypt runs on libuv's
 * thread pool; unbounded, 64 junk logins in flight queue there in arrival order and a real login
 * waits behind all of them. Here at most `concurrency` run; the rest wait in one queue per client
 * (an IPv4 address or an IPv6 /64, see `clientAddress()`). A free slot goes to the client with the
 * fewest checks waiting, then the fewest checks in the last `maxWait` seconds, then round-robin:
 * a client flooding the server waits behind its own requests and behind everyone asking for less.
 * Past `queuePerClient` a client is refused at once (429). When the whole queue is full, the client
 * with the most checks waiting gives up its newest place (503 for that request) to a client with at
 * least two fewer waiting, a newcomer above all: many attacking addresses cannot fill the queue and
 * so refuse everyone else. Only when no client has two more waiting than the newcomer is the
 * newcomer refused (503).
 */
export class PasswordCheckQueue {
  private running = 0;
  private waitingCount = 0;
  /** Insertion order is the round-robin order among equals: a served client moves to the back. */
  private readonly waiting = new Map<string, Waiter[]>();
  /**
   * Checks started per client in the current window of `maxWait` seconds. Bounded by what can be
   * hashed in one window, and cleared with it, so an address's history is short: enough to tell a
   * flooding address from a person, not a record of who signed in.
   */
  private readonly served = new Map<string, number>();
  private windowEndsAt = 0;

  constructor(private readonly limits: PasswordCheckLimits) {}

  /** Checks running and waiting now (for metrics, and for specs that must know the queue is full). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waitingCount };
  }

  async run<T>(client: string, check: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.concurrency) {
      this.running++;
      this.countServed(client);
    } else await this.wait(client);
    try {
      return await check();
    } finally {
      this.handOver();
    }
  }

  private wait(client: string): Promise<void> {
    const mine = this.waiting.get(client) ?? [];
    if (mine.length >= this.limits.queuePerClient) throw new TooManyPasswordChecksException();
    if (this.waitingCount >= this.limits.queue) this.makeRoom(mine.length);
    this.waitingCount++;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(client, waiter);
          reject(new PasswordChecksBusyException());
        }, this.limits.maxWait * 1000),
      };
      waiter.timer.unref();
      mine.push(waiter);
      if (mine.length === 1) this.waiting.set(client, mine);
    });
  }

  /**
   * The queue is full and a client with `mine` checks waiting asks for a place: the client with the
   * most waiting (the last in turn among equals) refuses its newest waiter, if it has at least two
   * more than `mine`; otherwise the newcomer is refused. "Two more", not "one more": trading places
   * between two clients with 3 and 2 waiting would only swap who has 3. The newest, not the oldest:
   * the oldest has waited longest and is next in its client's line. One pass over the waiting
   * clients (at most `queue` of them), and only when the queue is full.
   */
  private makeRoom(mine: number): void {
    let top: [string, Waiter[]] | undefined;
    for (const entry of this.waiting) if (!top || entry[1].length >= top[1].length) top = entry;
    if (!top || top[1].length < mine + 2) throw new PasswordChecksBusyException();
    const [client, queue] = top;
    const yielded = queue[queue.length - 1];
    this.remove(client, yielded);
    clearTimeout(yielded.timer);
    yielded.reject(new PasswordChecksBusyException());
  }

  /**
   * A slot is free: give it to the waiting client with the fewest checks waiting, then the fewest
   * started in this window, then the first in turn (round-robin); or free it. A person signing in
   * has one check waiting, a flooding address several: the person is next, not behind one check of
   * every flooding address; and an address gets less by asking for more.
   */
  private handOver(): void {
    this.rollWindow();
    let next: [string, Waiter[]] | undefined;
    let best = { waiting: Infinity, served: Infinity };
    // Strictly better only: among equals the first in turn.
    for (const entry of this.waiting) {
      const rank = { waiting: entry[1].length, served: this.served.get(entry[0]) ?? 0 };
      if (rank.waiting < best.waiting || (rank.waiting === best.waiting && rank.served < best.served))
        [next, best] = [entry, rank];
    }
    if (!next) {
      this.running--;
      return;
    }
    const [client, queue] = next;
    const waiter = queue[0];
    this.remove(client, waiter);
    // Round-robin: a client that still has checks waiting goes to the back of the turn.
    if (queue.length > 0) {
      this.waiting.delete(client);
      this.waiting.set(client, queue);
    }
    this.countServed(client);
    clearTimeout(waiter.timer);
    waiter.resolve();
  }

  private countServed(client: string): void {
    this.rollWindow();
    this.served.set(client, (this.served.get(client) ?? 0) + 1);
  }

  /** A new window every `maxWait` seconds: what a client had before it no longer counts. */
  private rollWindow(): void {
    const now = Date.now();
    if (now < this.windowEndsAt) return;
    this.served.clear();
    this.windowEndsAt = now + this.limits.maxWait * 1000;
  }

  /** Takes `waiter` out of its client's queue; the client keeps its place in the turn while it has others. */
  private remove(client: string, waiter: Waiter): void {
    const queue = this.waiting.get(client);
    const index = queue?.indexOf(waiter) ?? -1;
    if (!queue || index < 0) return;
    queue.splice(index, 1);
    this.waitingCount--;
    if (queue.length === 0) this.waiting.delete(client);
  }
}
