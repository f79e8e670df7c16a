import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MULTI_TOKEN_BEARER } from '../../contracts/multi-token-auth.constants';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import { QUOTA_BY_GUARD, type AuthRequest } from '../../pure/http/auth-request';
import { parseBearer } from '../../pure/http/bearer-header.parser';
import { PassportStrategy } from '../../pure/peers/nest-passport.peer';
import { TokenVerifier } from '../../services/tokens/token.verifier';
import { CookieTransport } from '../http/cookie-transport';
import type { CredentialsReader, CredentialsSource } from './bearer-credentials.reader';
import { BearerCredentialsStrategy } from './bearer-credentials.strategy-base';
import { linkFastifyReplies, responseOf } from './strategy-response';
import { KeyRateLimitCheck } from '../guards/key-rate-limit.check';
import { TokenQuotaCheck } from '../guards/token-quota.check';

/**
 * The part of the Passport strategy this class builds on, in the library's own types, so that the
 * published declarations do not need `@types/passport-http-bearer` in the app.
 */
interface BearerStrategyBase {
  authenticate(req: AuthRequest, options?: object): void;
}
const BearerStrategy: new (reader: CredentialsReader) => BearerStrategyBase = PassportStrategy(
  BearerCredentialsStrategy,
  MULTI_TOKEN_BEARER,
);

/**
 * The Passport strategy `'multi-token-bearer'`, for `AuthGuard()` and for apps that compose
 * strategies, in either order: `AuthGuard(['multi-token-bearer', 'jwt'])`. It implements only
 * `validate()`, which delegates to the verifier, the single place that decides whether a token is
 * valid; the request is read by the library's own parser underneath (`BearerCredentialsStrategy`).
 *
 * What is not the library's is a Passport failure, so that the next strategy in a chain gets its
 * turn: no credentials at all, another scheme (`Basic …`), or a bearer value not of the library's
 * shape (neither its prefix nor the `legacyTokens` format; a JWT, say). What is the library's is
 * answered with the library's own error and its RFC 6750 challenge, which ends the chain: a
 * malformed header or an `access_token` parameter (400 `invalid_request`), a token of its shape that
 * is unknown, revoked or expired (401 `invalid_token`, `token_expired`…), a bad session cookie.
 * `@nestjs/passport`'s plain `AuthGuard` turns a failure of the whole chain into a bare 401;
 * `PassportBearerAuthGuard` answers it as `MultiTokenAuthGuard` does.
 */
@Injectable()
export class MultiTokenBearerStrategy extends BearerStrategy implements OnModuleInit {
  // By property: a subclass's own constructor keeps the signature it was written against.
  // Absent on a resource server (`forResourceServer()`), whose tokens carry no quota.
  @Optional() @Inject(TokenQuotaCheck) private readonly quota?: TokenQuotaCheck;

  constructor(
    private readonly verifier: TokenVerifier,
    @InjectMultiTokenAuthOptions() options: ResolvedOptions,
    private readonly cookies: CookieTransport,
    private readonly keyRateLimit: KeyRateLimitCheck,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    const scheme = options.legacyTokens?.scheme?.toLowerCase();
    super({
      realm: options.realm,
      credentials: (req) => parseBearer(req, scheme),
      recognizes: (token) => verifier.recognizes(token),
      readCookie: (req) => cookies.read(req),
    });
  }

  onModuleInit(): void {
    linkFastifyReplies(this.adapterHost);
  }

  /**
   * The user of a token of the library's shape, from the `Authorization` header or (`source:
   * 'cookie'`) a browser client's session cookie, with its CSRF check; the token record goes on
   * `req.authToken`. Throws the library's 401 or 503 otherwise.
   */
  async validate(req: AuthRequest, token: string, source: CredentialsSource = 'header'): Promise<object> {
    const verified =
      source === 'cookie' ? await this.cookies.verify(req, token) : await this.verifier.verify(token, { ip: req.ip });
    req.authToken = verified.token;
    // A key's own rate limit holds behind a plain `AuthGuard('multi-token-bearer')` too (which runs
    // none of the library's guard steps); once per request, whichever counts it first.
    const call = { kind: 'http', req, res: responseOf(req) ?? {} } as const;
    await this.keyRateLimit.check(call);
    // Its quota too, 1 unit (this strategy cannot see the route's `@TokenCost`); behind
    // `PassportBearerAuthGuard` the guard spends the route's cost once every check has passed.
    if (verified.token.quota && !req[QUOTA_BY_GUARD]) await this.quota?.check(call, 1);
    return verified.user;
  }
}
