import { SetMetadata } from '@nestjs/common';
import { TOKEN_COST_KEY } from '../../contracts/multi-token-auth.constants';
import { MAX_QUOTA } from '../quotas/quota.rule';

/**
 * What a call of the route spends of a token's `quota`: `n` units instead of 1 (0: free). Read by
 * `MultiTokenAuthGuard` and `PassportBearerAuthGuard`; a route carrying it behind a guard that only
 * authenticates (`AuthGuard('multi-token-bearer')`, which spends 1) fails the start-up route check.
 * On the handler it overrides the controller's.
 *
 * @example
 * @TokenCost(10) @Post('reports') createReport() {}
 */
export const TokenCost = (n: number): MethodDecorator & ClassDecorator => {
  if (!Number.isInteger(n) || n < 0 || n > MAX_QUOTA) {
    throw new Error(`multi-token-auth: @TokenCost(${String(n)}) must be a whole number from 0 to ${MAX_QUOTA}.`);
  }
  return SetMetadata(TOKEN_COST_KEY, n);
};
