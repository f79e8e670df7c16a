import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import { TokenUsageTable, type DayUsage } from '../../infrastructure/storage/token-usage.table';

/** A UTC day, in milliseconds. */
export const DAY_MS = 86_400_000;
/** Days of counts kept: the longest range `GET /auth/api-keys/:id/usage` answers. */
export const USAGE_KEPT_DAYS = 90;

/** The UTC day of `ms`, `YYYY-MM-DD`. */
export function usageDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Counts what each API key does, per UTC day, without a write per request: uses and refusals are
 * added up in memory and written by one statement per `lastUsedUpdateInterval` for every key at
 * once (and at shutdown), each instance adding its own counts, so the stored totals are every
 * instance's. A failed write is logged (by count, never a token) and its counts dropped. Only the
 * API-key client's tokens are counted (`GET /auth/api-keys/:id/usage`).
 */
@Injectable()
export class TokenUsageCounter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('MultiTokenAuth');
  private pending = new Map<string, DayUsage>();
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  /** The day number of the last prune of old rows. */
  private prunedOn = -1;
  /** The last day string computed, by day number: one `toISOString` a day, not a request. */
  private day = { number: -1, text: '' };

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    private readonly clients: ClientRegistry,
    @Inject(TokenUsageTable) private readonly table: TokenUsageTable | null,
  ) {
    this.intervalMs = options.lastUsedUpdateInterval * 1000;
  }

  /** An authenticated request by `token` at `at` (epoch ms). */
  used(token: AuthToken, at: number): void {
    const counts = this.countsOf(token, at);
    if (counts) counts.requests += 1;
  }

  /** A request by `token` refused after it was identified (paused, address, scope, client, rate limit). */
  refused(token: AuthToken, at: number, alreadyCounted: boolean): void {
    const counts = this.countsOf(token, at);
    if (!counts) return;
    if (!alreadyCounted) counts.requests += 1;
    counts.refused += 1;
  }

  /** The key's stored days from `fromDay` on, with this instance's counts not yet written added. */
  async usageOf(tokenId: string, fromDay: string): Promise<DayUsage[]> {
    const stored = this.table ? await this.table.read(tokenId, fromDay) : [];
    const byDay = new Map(stored.map((row) => [row.day, { ...row }]));
    for (const row of this.pending.values()) {
      if (row.tokenId !== tokenId || row.day < fromDay) continue;
      const day = byDay.get(row.day) ?? { tokenId, day: row.day, requests: 0, refused: 0 };
      day.requests += row.requests;
      day.refused += row.refused;
      byDay.set(row.day, day);
    }
    return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  }

  /** Writes the counts gathered so far, in one statement per 200 key-days. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0 || !this.table) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.table.add(rows);
      // Once a day (per instance): the days no read can ask for any more, and a revoked key's rows.
      if (this.day.number !== this.prunedOn) {
        this.prunedOn = this.day.number;
        await this.table.prune(usageDay((this.day.number - USAGE_KEPT_DAYS + 1) * DAY_MS));
      }
    } catch (error: unknown) {
      const requests = rows.reduce((sum, row) => sum + row.requests, 0);
      this.logger.warn(`usage counts of ${rows.length} key-days (${requests} requests) not written: ${String(error)}`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private countsOf(token: AuthToken, at: number): DayUsage | undefined {
    if (!this.table || token.clientId !== this.apiKeyClientId()) return undefined;
    const number = Math.floor(at / DAY_MS);
    if (number !== this.day.number) this.day = { number, text: usageDay(at) };
    const key = `${token.id} ${this.day.text}`;
    let counts = this.pending.get(key);
    if (!counts) {
      counts = { tokenId: token.id, day: this.day.text, requests: 0, refused: 0 };
      this.pending.set(key, counts);
      // Not what keeps the process alive: a shutdown flushes what is left.
      this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
    }
    return counts;
  }

  private apiKeyClientId(): number | undefined {
    const name = this.options.apiKeyClient;
    return name === null ? undefined : this.clients.findByName(name)?.id;
  }
}
