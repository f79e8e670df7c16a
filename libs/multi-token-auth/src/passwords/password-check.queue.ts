import { PasswordChecksBusyException, TooManyPasswordChecksException } from '../errors/attempt.exceptions';

/** How much password hashing may run at once, and how much may wait (see README, "Brute force"). */
export interface PasswordCheckLimits {
  /** Checks running at once. Default: the CPU count, at most 4 (libuv's default thread pool). */
  concurrency: number;
  /** Checks one client (IP) may have waiting; past it, 429. Default 4. */
  queuePerClient: number;
  /** Checks waiting in all; past it, 503. Default 256. */
  queue: number;
  /**
   * Longest a check waits for its turn, in **seconds**; past it, 503. Default 10. Clients that
   * gave up (a timed-out request) would otherwise keep their place and cost a hash later.
   */
  maxWait: number;
}

interface Waiter {
  resolve: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Bounds concurrent password hashing and shares it fairly between clients. scrypt runs on libuv's
 * thread pool; unbounded, 64 junk logins in flight queue there in arrival order and a real login
 * waits behind all of them. Here at most `concurrency` run; the rest wait in one queue per client
 * (IP), served round-robin, so a client flooding the server waits behind its own requests, not
 * others behind it; and whatever would wait past the limits is refused at once.
 */
export class PasswordCheckQueue {
  private running = 0;
  private waitingCount = 0;
  /** Insertion order is the round-robin order: a served client moves to the back. */
  private readonly waiting = new Map<string, Waiter[]>();

  constructor(private readonly limits: PasswordCheckLimits) {}

  async run<T>(client: string, check: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.concurrency) this.running++;
    else await this.wait(client);
    try {
      return await check();
    } finally {
      this.handOver();
    }
  }

  private wait(client: string): Promise<void> {
    const mine = this.waiting.get(client) ?? [];
    if (mine.length >= this.limits.queuePerClient) throw new TooManyPasswordChecksException();
    if (this.waitingCount >= this.limits.queue) throw new PasswordChecksBusyException();
    this.waitingCount++;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.leave(client, waiter);
          reject(new PasswordChecksBusyException());
        }, this.limits.maxWait * 1000),
      };
      waiter.timer.unref();
      mine.push(waiter);
      if (mine.length === 1) this.waiting.set(client, mine);
    });
  }

  /** A slot is free: give it to the next client in turn (the running count stays), or free it. */
  private handOver(): void {
    const next = this.waiting.entries().next();
    if (next.done) {
      this.running--;
      return;
    }
    const [client, queue] = next.value;
    const waiter = queue[0];
    this.leave(client, waiter);
    clearTimeout(waiter.timer);
    waiter.resolve();
  }

  /** Takes `waiter` out of its client's queue; a client still waiting moves to the back of the turn. */
  private leave(client: string, waiter: Waiter): void {
    const queue = this.waiting.get(client);
    const index = queue?.indexOf(waiter) ?? -1;
    if (!queue || index < 0) return;
    queue.splice(index, 1);
    this.waitingCount--;
    this.waiting.delete(client);
    if (queue.length > 0) this.waiting.set(client, queue);
  }
}
