import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { JournalEntry, JournalReader } from '../storage/revocation.journal';
import type { Revocation } from '../../contracts/revocation-bus.interface';

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
const MAX_RANGES = 20;

/** Where the follower applies what it reads (the verified-token cache). */
export interface JournalTarget {
  applyRemote(revocation: Revocation): void;
}

/**
 * Follows the revocation journal for one instance: polls it by position, applies each new entry to
 * the cache, and says whether the cache is fresh (`isFresh()`: an in-memory compare, no I/O). It
 * needs nobody's acknowledgement: the journal is in the database, which is the truth.
 *
 * Positions are taken in insertion order but can commit out of order (PostgreSQL), a rolled-back
 * transaction leaves a hole for ever, and one still open when the follower starts holds a position
 * below the head. So the follower reads what lies past the highest position it has read, and
 * remembers every hole below it (as ranges, with the time it appeared): each poll also reads the
 * holes (an index range scan that finds nothing in the usual case), applies what has appeared in
 * them, and gives up on a hole after `gapMs`.
 */
export class JournalFollower implements OnModuleDestroy {
  private readonly logger = new Logger('MultiTokenAuth');
  /** The highest position read. */
  private head = 0;
  /** Inclusive ranges of positions below `head` not seen yet, oldest first, with when they appeared. */
  private holes: { from: number; to: number; since: number }[] = [];
  private lastGood = -Infinity;
  private lastPrune = -Infinity;
  private started = false;
  private inFlight = false;
  private failing = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly journal: JournalReader,
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
      if (this.started && startedAt - this.lastGood > this.timings.horizonMs - this.timings.gapMs) {
        // What was missed may have been pruned: nothing cached can be trusted.
        this.target.applyRemote({ all: true });
        this.started = false;
      }
      if (!this.started) await this.begin(startedAt);
      else await this.catchUp(startedAt);
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

  /**
   * A new (or emptied) cache: nothing in the journal now concerns it, but every position below the
   * head that is not there yet may still commit, so each is a hole from now on.
   */
  private async begin(now: number): Promise<void> {
    this.head = await this.journal.head();
    this.holes = [];
    this.gapsBefore(await this.journal.positions(this.head), this.head + 1, 0, now);
    this.started = true;
  }

  private async catchUp(now: number): Promise<void> {
    this.holes = this.holes.filter((hole) => now - hole.since < this.timings.gapMs);
    // Few holes: one range each. Many (a burst of rollbacks): one span, and only holes kept.
    const ranges =
      this.holes.length <= MAX_RANGES
        ? this.holes.map((hole) => [hole.from, hole.to] as const)
        : [[this.holes[0].from, Math.max(...this.holes.map((hole) => hole.to))] as const];
    const late = (await this.journal.within(ranges)).filter((entry) => this.inHole(entry.position));
    if (late.length > 0) {
      this.apply(late);
      for (const entry of late) this.fill(entry.position);
    }
    for (;;) {
      const entries = await this.journal.after(this.head, PAGE);
      if (entries.length === 0) break;
      this.apply(entries);
      this.gapsBefore(
        entries.map((entry) => entry.position),
        entries[entries.length - 1].position + 1,
        this.head,
        now,
      );
      this.head = entries[entries.length - 1].position;
      if (entries.length < PAGE) break;
    }
  }

  /** Records as holes the positions after `from` and before `end` that are not in `positions` (ascending). */
  private gapsBefore(positions: number[], end: number, from: number, now: number): void {
    let previous = from;
    for (const position of [...positions, end]) {
      if (position > previous + 1) this.holes.push({ from: previous + 1, to: position - 1, since: now });
      previous = position;
    }
  }

  private inHole(position: number): boolean {
    return this.holes.some((hole) => hole.from <= position && position <= hole.to);
  }

  /** A hole's position appeared: the hole shrinks or splits. */
  private fill(position: number): void {
    const index = this.holes.findIndex((hole) => hole.from <= position && position <= hole.to);
    if (index < 0) return;
    const hole = this.holes[index];
    const parts = [
      { ...hole, to: position - 1 },
      { ...hole, from: position + 1 },
    ].filter((part) => part.from <= part.to);
    this.holes.splice(index, 1, ...parts);
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
}
