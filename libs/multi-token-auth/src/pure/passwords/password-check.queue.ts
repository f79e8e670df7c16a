import {
  PasswordCheckOutrankedException,
  PasswordChecksBusyException,
  TooManyPasswordChecksException,
} from '../../contracts/errors/attempt.exceptions';
import { clientNetwork } from '../http/client-network';
import { PasswordCheckDemand } from './password-check.demand';
import type { PasswordCheckLimits } from '../../contracts/password-check.options';

interface Waiter {
  client: string;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Where a network stands in the line: fewer waiting first, then less asked for lately. */
interface Rank {
  waiting: number;
  demand: number;
}

const before = (a: Rank, b: Rank) => a.waiting < b.waiting || (a.waiting === b.waiting && a.demand < b.demand);

/**
 * Bounds concurrent password hashing and shares it fairly between networks. scrypt runs on libuv's
 * thread pool; unbounded, 64 junk logins in flight queue there in arrival order and a real login
 * waits behind all of them. Here at most `concurrency` run; the rest wait in one line per network
 * (an IPv4 address, or the /56 of an IPv6 /64: see `clientNetwork()`). A free slot goes to the
 * network with the fewest checks waiting, then the fewest asked for lately (see
 * {@link PasswordCheckDemand}), then round-robin: a network flooding the server waits behind its own
 * requests and behind everyone asking for less. Past `queuePerClient` waiting, a client (IPv4
 * address or IPv6 /64) is refused at once (429). When the whole queue is full, the waiting check
 * that would be served last gives up its place to a newcomer that would be served before it.
 *
 * The guarantee, for a person signing in (one check, nothing asked lately): they are refused only
 * when every place is held by a network that also waits for one check and asked for nothing else
 * lately, so no set of addresses within a few networks can refuse them; and once they have a place
 * nobody can take it. What remains: a crowd of distinct networks, each asking once, filling the
 * queue faster than it is hashed, is a crowd of people as far as anyone can tell.
 */
export class PasswordCheckQueue {
  private running = 0;
  private waitingCount = 0;
  /** Per network; insertion order is the round-robin order among equals: a served network moves to the back. */
  private readonly waiting = new Map<string, Waiter[]>();
  /** Checks waiting per client, for `queuePerClient`. */
  private readonly perClient = new Map<string, number>();
  private readonly demand: PasswordCheckDemand;

  constructor(private readonly limits: PasswordCheckLimits) {
    // Read on every use, as the timers do: `limits` is the resolved options object.
    this.demand = new PasswordCheckDemand(() => limits.maxWait * 1000);
  }

  /** Checks running and waiting now (for metrics, and for specs that must know the queue is full). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waitingCount };
  }

  async run<T>(client: string, check: () => Promise<T>): Promise<T> {
    const network = clientNetwork(client);
    const demand = this.demand.add(network);
    if (this.running < this.limits.concurrency) this.running++;
    else await this.wait(client, network, demand);
    try {
      return await check();
    } finally {
      this.handOver();
    }
  }

  private wait(client: string, network: string, demand: number): Promise<void> {
    if ((this.perClient.get(client) ?? 0) >= this.limits.queuePerClient) throw new TooManyPasswordChecksException();
    const line = this.waiting.get(network) ?? [];
    if (this.waitingCount >= this.limits.queue) this.makeRoom(network, { waiting: line.length + 1, demand });
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        client,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(network, waiter);
          reject(new PasswordChecksBusyException());
        }, this.limits.maxWait * 1000),
      };
      waiter.timer.unref();
      line.push(waiter);
      if (line.length === 1) this.waiting.set(network, line);
      this.waitingCount++;
      this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    });
  }

  /**
   * The queue is full and `network` asks for a place, ranking `newcomer` once in line. The check
   * that would be served last (its network has the most waiting, then asked for the most, then is
   * last in turn; its newest check, since the oldest has waited longest) yields its place if the
   * newcomer would be served before it: 503 for the yielded request, counted against its address.
   * Strictly before: trading places between equals would only swap who waits. Otherwise the
   * newcomer is refused: counted against its address if its network already waits or asked for
   * more than its share lately (the refusal is of its own making), against nobody if it is a
   * newcomer refused by a crowd of equals. One pass over the waiting networks, only when full.
   */
  private makeRoom(network: string, newcomer: Rank): void {
    let last: { network: string; line: Waiter[]; rank: Rank } | undefined;
    for (const [other, line] of this.waiting) {
      const rank = { waiting: line.length, demand: this.demand.of(other) };
      // Not strictly before the last so far: among equals, the later in turn.
      if (!last || !before(rank, last.rank)) last = { network: other, line, rank };
    }
    // `newcomer` counts its own check; `last.rank` still counts the check that would yield.
    if (!last || !before(newcomer, last.rank)) {
      const ownDoing = newcomer.waiting > 1 || newcomer.demand > this.limits.queuePerClient;
      throw ownDoing ? new PasswordCheckOutrankedException() : new PasswordChecksBusyException();
    }
    const yielded = last.line[last.line.length - 1];
    this.remove(last.network, yielded);
    clearTimeout(yielded.timer);
    yielded.reject(new PasswordCheckOutrankedException());
  }

  /**
   * A slot is free: give it to the waiting network with the fewest checks waiting, then the fewest
   * asked for lately, then the first in turn (round-robin); or free it. A person signing in has one
   * check waiting, a flooding network several: the person is next, not behind one check of every
   * flooding network; and a network gets less by asking for more.
   */
  private handOver(): void {
    let next: { network: string; line: Waiter[]; rank: Rank } | undefined;
    // Strictly before only: among equals the first in turn.
    for (const [network, line] of this.waiting) {
      const rank = { waiting: line.length, demand: this.demand.of(network) };
      if (!next || before(rank, next.rank)) next = { network, line, rank };
    }
    if (!next) {
      this.running--;
      return;
    }
    const waiter = next.line[0];
    this.remove(next.network, waiter);
    // Round-robin: a network that still has checks waiting goes to the back of the turn.
    if (next.line.length > 0) {
      this.waiting.delete(next.network);
      this.waiting.set(next.network, next.line);
    }
    clearTimeout(waiter.timer);
    waiter.resolve();
  }

  /** Takes `waiter` out of its network's line; the network keeps its place in the turn while it has others. */
  private remove(network: string, waiter: Waiter): void {
    const line = this.waiting.get(network);
    const index = line?.indexOf(waiter) ?? -1;
    if (!line || index < 0) return;
    line.splice(index, 1);
    this.waitingCount--;
    if (line.length === 0) this.waiting.delete(network);
    const left = (this.perClient.get(waiter.client) ?? 1) - 1;
    if (left > 0) this.perClient.set(waiter.client, left);
    else this.perClient.delete(waiter.client);
  }
}
