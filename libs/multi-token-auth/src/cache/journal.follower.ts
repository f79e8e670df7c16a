import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { JournalEntry, RevocationJournal } from '../storage/revocation.journal';
import type { Revocation } from './revocation-bus.interface';

/** Timings of the journal follower, in milliseconds (real time, never the library's clock). */
export interface JournalTimings {
  /** Poll period. */
  pollMs: number;
  /**
   * The cache answers only while the last successful poll started less than this long ago. A
   * revocation that answered at R is visible to every poll started after R, so no cache hit can
   * accept it past R + freshMs (≤ 1 s by design).
   */
  freshMs: number;
  /** Entries older than this are pruned; a follower that did not poll for `horizonMs - gapMs` clears its cache. */
  horizonMs: number;
  /** A gap in positions (a rolled-back or still-open transaction) is waited for this long, then skipped. */
  gapMs: number;
  /** Prune period. */
  pruneMs: number;
}

export const DEFAULT_JOURNAL_TIMINGS: JournalTimings = {
  pollMs: 200,
  freshMs: 800,
  horizonMs: 5 * 60_000,
  gapMs: 60_000,
  pruneMs: 30_000,
};

const PAGE = 1000;

/** Where the follower applies what it reads (the verified-token cache). */
export interface JournalTarget {
  applyRemote(revocation: Revocation): void;
}

/**
 * Follows the revocation journal for one instance: polls it by position, applies each new entry to
 * the cache, and says whether the cache is fresh (`isFresh()`: an in-memory compare, no I/O). It
 * needs nobody's acknowledgement: the journal is in the database, which is the truth.
 *
 * Positions are taken in insertion order but can commit out of order (PostgreSQL), and a rolled-back
 * transaction leaves a hole for ever. So `settled` is the highest position below which everything
 * was applied or given up on; rows above it that were applied are remembered, and every poll reads
 * again from `settled` (cheap: the journal is short, and holes are rare and brief).
 */
export class JournalFollower implements OnModuleDestroy {
  private readonly logger = new Logger('MultiTokenAuth');
  private settled = 0;
  private readonly applied = new Set<number>();
  private holeSince?: { position: number; at: number };
  private lastGood = -Infinity;
  private lastPrune = -Infinity;
  private started = false;
  private inFlight = false;
  private failing = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly journal: RevocationJournal,
    private readonly target: JournalTarget,
    readonly timings: JournalTimings = DEFAULT_JOURNAL_TIMINGS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether the cache may answer now: the last successful poll started under `freshMs` ago. */
  isFresh(): boolean {
    return this.now() - this.lastGood < this.timings.freshMs;
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.timings.pollMs);
    this.timer.unref();
    void this.poll();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /** One poll; never throws (a failure only lets freshness lapse). Public for specs. */
  async poll(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    const startedAt = this.now();
    try {
      if (!this.started) {
        // A new cache is empty: nothing before the current head can concern it.
        this.settled = await this.journal.head();
        this.started = true;
      } else if (startedAt - this.lastGood > this.timings.horizonMs - this.timings.gapMs) {
        // What was missed may have been pruned: nothing cached can be trusted.
        this.target.applyRemote({ all: true });
        this.applied.clear();
        this.holeSince = undefined;
        this.settled = await this.journal.head();
      } else {
        await this.catchUp(startedAt);
      }
      if (startedAt - this.lastPrune > this.timings.pruneMs) {
        this.lastPrune = startedAt;
        await this.journal.prune(this.timings.horizonMs);
      }
      this.lastGood = startedAt;
      if (this.failing) this.logger.log('the revocation journal is readable again; the cache is in use');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(`cannot read the revocation journal, the cache is not used: ${String(error)}`);
      }
      this.failing = true;
    } finally {
      this.inFlight = false;
    }
  }

  private async catchUp(now: number): Promise<void> {
    let from = this.settled;
    for (;;) {
      const entries = await this.journal.after(from, PAGE);
      const fresh = entries.filter((entry) => !this.applied.has(entry.position));
      if (fresh.length > 0) this.apply(fresh);
      for (const entry of fresh) this.applied.add(entry.position);
      if (entries.length < PAGE) break;
      from = entries[entries.length - 1].position;
    }
    this.settle(now);
  }

  private apply(entries: JournalEntry[]): void {
    const digests: string[] = [];
    for (const entry of entries) {
      if (entry.digest !== null) digests.push(entry.digest);
      else if (entry.userId !== null) this.target.applyRemote({ userId: entry.userId });
      else this.target.applyRemote({ all: true });
    }
    if (digests.length > 0) this.target.applyRemote({ digests });
  }

  /** Moves `settled` over applied positions, and over a hole once it has been open for `gapMs`. */
  private settle(now: number): void {
    while (this.applied.size > 0) {
      const next = this.settled + 1;
      if (this.applied.delete(next)) {
        this.settled = next;
        this.holeSince = undefined;
        continue;
      }
      if (this.holeSince?.position !== next) this.holeSince = { position: next, at: now };
      if (now - this.holeSince.at < this.timings.gapMs) return;
      // Given up on: the whole hole, up to the next applied position.
      let lowest = Infinity;
      for (const position of this.applied) lowest = Math.min(lowest, position);
      this.settled = lowest - 1;
      this.holeSince = undefined;
    }
  }
}
