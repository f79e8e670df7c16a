import type { JournalEntry, JournalReader } from '../storage/revocation.journal';
import { OwnerUnavailableError, type OwnerClient } from './owner.client';

/** Longest one read of the feed may take: a hung link must not hold the next polls back long. */
const FEED_TIMEOUT_MS = 1000;

/**
 * The owner's revocation journal read over HTTP (`GET …/auth/revocations`), so that a resource
 * server's journal follower works exactly as an instance's: by position, with its holes. Pruning
 * is the owner's.
 */
export class RemoteRevocationJournal implements JournalReader {
  private readonly timeoutMs: number;

  constructor(
    private readonly owner: OwnerClient,
    private readonly url: string,
    timeoutMs: number,
  ) {
    this.timeoutMs = Math.min(timeoutMs, FEED_TIMEOUT_MS);
  }

  /** The last `head()`'s answer: the follower asks for these positions right after. */
  private kept?: { head: number; positions: number[] };

  async head(): Promise<number> {
    const answer = (await this.owner.read(this.url, this.timeoutMs)) as { head?: unknown; positions?: unknown } | null;
    if (!Array.isArray(answer?.positions)) throw new OwnerUnavailableError('the feed gave no positions');
    this.kept = { head: position(answer.head), positions: answer.positions.map(position) };
    return this.kept.head;
  }

  async positions(upTo: number): Promise<number[]> {
    if (this.kept?.head !== upTo) await this.head();
    return (this.kept?.positions ?? []).filter((kept) => kept <= upTo);
  }

  after(from: number, limit: number): Promise<JournalEntry[]> {
    return this.entries(`${this.url}?after=${from}&limit=${limit}`);
  }

  within(ranges: readonly (readonly [number, number])[]): Promise<JournalEntry[]> {
    if (ranges.length === 0) return Promise.resolve([]);
    return this.entries(`${this.url}?within=${ranges.map(([from, to]) => `${from}-${to}`).join(',')}`);
  }

  prune(): Promise<void> {
    return Promise.resolve();
  }

  private async entries(url: string): Promise<JournalEntry[]> {
    const answer = (await this.owner.read(url, this.timeoutMs)) as { entries?: unknown } | null;
    if (!Array.isArray(answer?.entries)) throw new OwnerUnavailableError('the feed gave no entries');
    return (answer.entries as Partial<JournalEntry>[]).map((entry) => ({
      position: position(entry?.position),
      digest: typeof entry.digest === 'string' ? entry.digest : null,
      userId: typeof entry.userId === 'string' ? entry.userId : null,
    }));
  }
}

function position(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new OwnerUnavailableError('the feed gave a position that is not a whole number');
  }
  return value as number;
}
