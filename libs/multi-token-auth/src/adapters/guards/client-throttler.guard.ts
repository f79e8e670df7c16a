import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerStorage } from '@nestjs/throttler';
import type { AuthRequest } from '../../pure/http/auth-request';
import { routePolicy } from '../../pure/decorators/route-policy';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE } from '../../contracts/multi-token-auth.constants';
import { RateLimitedException } from '../../contracts/errors/rate-limited.exception';
import { forTransport } from '../../pure/transports/transport-error';
import { transportOf } from '../../pure/transports/transport-call';
import { parseThrottleRate, type ThrottleRate } from '../../pure/options/throttle-rate.parser';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/**
 * @nestjs/throttler keyed by user + client instead of IP. The limit is the token's client's
 * `throttleRate`, else the module's `defaultThrottleRate`; only routes marked `@ClientRateLimit()`
 * count, and they share one budget per user and client. It must run after authentication (it
 * does inside `MultiTokenAuthGuard`): a request without a verified token is never counted here.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectMultiTokenAuthOptions() private readonly authOptions: ResolvedOptions,
    @Inject(MULTI_TOKEN_AUTH_THROTTLER_STORAGE) storage: ThrottlerStorage,
    reflector: Reflector,
  ) {
    super(
      {
        throttlers: [
          {
            name: 'default',
            limit: (context) => rateOf(context, authOptions.defaultThrottleRate)?.limit ?? 0,
            ttl: (context) => rateOf(context, authOptions.defaultThrottleRate)?.ttlMs ?? 0,
          },
        ],
      },
      storage,
      reflector,
    );
    // The throttler list is built in onModuleInit, which Nest does not call on a guard that a
    // module instantiates for @UseGuards(); building it here makes the guard usable either way.
    void this.onModuleInit();
  }

  /** Also in GraphQL resolvers and gateway handlers, with the error in their transport's form. */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      throw forTransport(transportOf(context), error, this.authOptions.realm);
    }
  }

  /** The request holding the verified token, and where `X-RateLimit-*` headers go (HTTP only). */
  protected override getRequestResponse(context: ExecutionContext): {
    req: Record<string, unknown>;
    res: Record<string, unknown>;
  } {
    const { req, res } = transportOf(context);
    return { req: req as unknown as Record<string, unknown>, res: res as Record<string, unknown> };
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const marked = routePolicy(this.reflector, context).rateLimited;
    return Promise.resolve(!marked || rateOf(context, this.authOptions.defaultThrottleRate) === undefined);
  }

  protected override getTracker(req: AuthRequest): Promise<string> {
    const token = req.authToken;
    if (!token) return Promise.reject(new Error('ClientThrottlerGuard ran before authentication.'));
    const userId = (token.user as Record<string, unknown>)[this.authOptions.user.idField];
    return Promise.resolve(`${String(userId)}:${token.clientId}`);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return `multi-token-auth:${tracker}`;
  }

  protected override throwThrottlingException(): Promise<void> {
    return Promise.reject(new RateLimitedException());
  }
}

const parsedRates = new Map<string, ThrottleRate>();

/** The rate that applies to the request's token, or `undefined` when none does. */
function rateOf(context: ExecutionContext, defaultRate: string | null): ThrottleRate | undefined {
  const token = transportOf(context).req.authToken;
  const text = token?.client?.throttleRate ?? defaultRate;
  if (!token || text === null) return undefined;
  let rate = parsedRates.get(text);
  if (!rate) {
    // Rates are validated at start-up; one edited in the database since is re-checked here, and
    // an unreadable one means "no limit" rather than a 500.
    rate = parseThrottleRate(text);
    if (!rate) return undefined;
    parsedRates.set(text, rate);
  }
  return rate;
}
