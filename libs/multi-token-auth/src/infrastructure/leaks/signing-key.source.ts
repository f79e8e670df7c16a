import { Inject, Injectable, Logger } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { Clock } from '../../contracts/clock/clock.interface';
import { LeakReportException } from '../../contracts/errors/leak.exceptions';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import { signingKeyOf } from '../../pure/leaks/report-signature';
import { boundedText } from '../../pure/http/bounded-text';

/** Fewest milliseconds between two fetches of the list: a report naming an unknown key cannot make us fetch per request. */
const MIN_FETCH_GAP_MS = 60_000;
/** Longest a fetch of the list may take. */
const FETCH_TIMEOUT_MS = 5_000;
/** Largest list taken (GitHub's is a few kilobytes). */
const MAX_LIST_BYTES = 256 * 1024;

/**
 * The keys that sign secret-scanning reports: those configured (`secretScanning.publicKeys`, checked
 * at start-up) and those of the list at `publicKeysUrl`, fetched when a report names a key not yet
 * known or the list is older than `publicKeysRefresh`, at most once a minute, one fetch at a time.
 * A known key stays usable while a refresh fails; a key never seen cannot be checked then, and that
 * is a 503 (`signing_keys_unavailable`), never an accept.
 */
@Injectable()
export class SigningKeySource {
  private readonly logger = new Logger('MultiTokenAuth');
  private readonly fixed = new Map<string, KeyObject>();
  private fetched = new Map<string, KeyObject>();
  private fetchedAt: number | undefined;
  private triedAt: number | undefined;
  private lastFetchFailed = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    for (const { keyIdentifier, key } of options.secretScanning?.publicKeys ?? []) {
      const parsed = signingKeyOf(key);
      if (parsed) this.fixed.set(keyIdentifier, parsed);
    }
  }

  /** The key named `id`, `null` when no source knows it; throws 503 when the list cannot be fetched and the key is unknown. */
  async keyFor(id: string): Promise<KeyObject | null> {
    const fixed = this.fixed.get(id);
    if (fixed) return fixed;
    const settings = this.options.secretScanning;
    const url = settings?.publicKeysUrl;
    if (!settings || !url) return null;
    // A report that arrives while the list is being fetched waits for it: it may name a key the list brings.
    if (this.inFlight) await this.inFlight;
    const now = this.clock.now().getTime();
    const known = this.fetched.get(id);
    const fresh = this.fetchedAt !== undefined && now - this.fetchedAt < settings.publicKeysRefresh * 1000;
    const mayFetch = this.triedAt === undefined || now - this.triedAt >= MIN_FETCH_GAP_MS;
    if ((!known || !fresh) && mayFetch) {
      await (this.inFlight ??= this.fetch(url).finally(() => (this.inFlight = undefined)));
      // A list fetched now is the truth: a key it no longer names is withdrawn, not kept.
      if (!this.lastFetchFailed) return this.fetched.get(id) ?? null;
    }
    if (!known && this.lastFetchFailed) throw new LeakReportException('signing_keys_unavailable');
    return known ?? null;
  }

  private async fetch(url: string): Promise<void> {
    this.triedAt = this.clock.now().getTime();
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json', 'user-agent': 'nestjs-multi-token-auth' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: 'error',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.fetched = keysOf(JSON.parse(await boundedText(res, MAX_LIST_BYTES)) as unknown);
      this.fetchedAt = this.clock.now().getTime();
      this.lastFetchFailed = false;
    } catch (error) {
      this.lastFetchFailed = true;
      this.logger.warn(`secret-scanning keys not fetched from ${url}: ${String(error)}`);
    }
  }
}

/** The usable keys of GitHub's `{public_keys: [{key_identifier, key}]}`; a key that is not ECDSA P-256 is left out. */
function keysOf(list: unknown): Map<string, KeyObject> {
  const entries = (list as { public_keys?: unknown } | null)?.public_keys;
  if (!Array.isArray(entries)) throw new Error('no public_keys array in the answer');
  const keys = new Map<string, KeyObject>();
  for (const entry of entries as { key_identifier?: unknown; key?: unknown }[]) {
    const key = signingKeyOf(entry?.key);
    if (key && typeof entry.key_identifier === 'string') keys.set(entry.key_identifier, key);
  }
  return keys;
}
