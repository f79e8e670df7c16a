import { Injectable } from '@nestjs/common';
import { QuotaExhaustedException } from '../../contracts/errors/rate-limited.exception';
import { QUOTA_SPENT, setResponseHeader } from '../../pure/http/auth-request';
import type { TransportCall } from '../../pure/transports/transport-call';
import { TokenQuotaKeeper } from '../../services/tokens/token-quota.keeper';

/**
 * A token's `quota`: each authenticated call spends the route's cost (`@TokenCost(n)`, else 1),
 * after every other check has passed (a refused call spends nothing), exactly once per HTTP request
 * however many of the library's guards and strategies see it. Headers on HTTP answers:
 * `X-Quota-Limit` and `X-Quota-Remaining`, and with the 429 `quota_exhausted` a `Retry-After` when
 * a refill will cover the cost.
 */
@Injectable()
export class TokenQuotaCheck {
  constructor(private readonly keeper: TokenQuotaKeeper) {}

  async check(call: TransportCall, cost: number): Promise<void> {
    const { req, res } = call;
    const token = req.authToken;
    const quota = token?.quota;
    if (!token || !quota) return;
    let due = cost;
    if (call.kind === 'http') {
      const spent = req[QUOTA_SPENT];
      // Already spent by the strategy (1) or a guard: only what the route costs beyond it.
      if (spent !== undefined) {
        if (spent >= cost) return;
        due = cost - spent;
      }
    }
    const result = await this.keeper.spend(token, quota, due);
    setResponseHeader(res, 'X-Quota-Limit', String(quota.limit));
    setResponseHeader(res, 'X-Quota-Remaining', String(result.balance.remaining));
    if (result.allowed) {
      if (call.kind === 'http') req[QUOTA_SPENT] = cost;
      return;
    }
    if (result.retryAfterMs !== undefined) {
      setResponseHeader(res, 'Retry-After', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
    }
    throw new QuotaExhaustedException();
  }
}
