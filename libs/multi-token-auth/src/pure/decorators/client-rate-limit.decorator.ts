import { SetMetadata } from '@nestjs/common';
import { CLIENT_RATE_LIMIT_KEY } from '../../contracts/multi-token-auth.constants';

/**
 * Counts requests to the route against the caller's user+client budget (the client's
 * `throttleRate`, else the module's `defaultThrottleRate`); over it, 429 with `Retry-After`.
 * All marked routes share one budget per user and client.
 *
 * @example
 * @ClientRateLimit() @Get('throttled') throttled() {}
 */
export const ClientRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(CLIENT_RATE_LIMIT_KEY, true);
