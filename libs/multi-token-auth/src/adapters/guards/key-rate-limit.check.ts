import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE } from '../../contracts/multi-token-auth.constants';
import { KEY_RATE_COUNTED } from '../../pure/http/auth-request';
import { parseThrottleRate, type ThrottleRate } from '../../pure/options/throttle-rate.parser';
import type { TransportCall } from '../../pure/transports/transport-call';
import { answerHit } from './rate-limit.answer';

/** The throttler name the per-key counters are kept under (`X-RateLimit-*-Key` headers). */
const NAME = 'key';

/**
 * A token's own `rateLimit` (an API key's `"100/m"`): every authenticated request the token makes
 * counts, whatever the route, through the same storage as the client limits (Redis across
 * instances, else memory). A key replaced in a roll spends its replacement's budget while its
 * overlap lasts, so a roll does not double what the pair may do; a changed limit starts a budget
 * of its own. Headers on HTTP answers:
 * `X-RateLimit-Limit-Key`, `X-RateLimit-Remaining-Key`, `X-RateLimit-Reset-Key` (seconds), and
 * `Retry-After` with the 429.
 */
@Injectable()
export class KeyRateLimitCheck {
  private readonly rates = new Map<string, ThrottleRate | null>();

  constructor(@Inject(MULTI_TOKEN_AUTH_THROTTLER_STORAGE) private readonly storage: ThrottlerStorage) {}

  /** Counts the call against its token's `rateLimit`; throws 429 `rate_limited` past it. */
  async check(call: TransportCall): Promise<void> {
    const { req } = call;
    const token = req.authToken;
    const rate = token?.rateLimit ? this.rateOf(token.rateLimit) : null;
    if (!token || !rate) return;
    // One HTTP request counts once, whether the Passport strategy or a guard (or both) saw it.
    if (call.kind === 'http') {
      if (req[KEY_RATE_COUNTED]) return;
      req[KEY_RATE_COUNTED] = true;
    }
    // A changed limit is a new budget, counted from its first request.
    const budget = `multi-token-auth:key:${token.replacedBy ?? token.id}:${rate.limit}/${rate.ttlMs}`;
    const hit = await this.storage.increment(budget, rate.ttlMs, rate.limit, rate.ttlMs, NAME);
    answerHit(call.res, rate.limit, hit, '-Key');
  }

  /** Parsed once per distinct text; one edited in the database into nonsense means no limit, not a 500. */
  private rateOf(text: string): ThrottleRate | null {
    let rate = this.rates.get(text);
    if (rate === undefined) {
      rate = parseThrottleRate(text) ?? null;
      if (this.rates.size > 1000) this.rates.clear();
      this.rates.set(text, rate);
    }
    return rate;
  }
}
