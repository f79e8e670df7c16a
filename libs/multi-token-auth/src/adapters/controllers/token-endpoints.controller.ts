import { Body, Controller, Header, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { RequireGrantedScopes } from '../../pure/decorators/require-scopes.decorator';
import { Public } from '../../pure/decorators/public.decorator';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { TokenService } from '../../services/tokens/token.service';
import { TokenVerifier } from '../../services/tokens/token.verifier';
import { tokenParameter } from '../dto/token-parameter.dto';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import { OAuthErrorsFilter } from '../http/oauth-errors.filter';
import { ApiRoute, ApiRouteGroup } from '../openapi/api-route.decorator';
import { ROUTE_DOCS } from '../openapi/auth-routes.docs';

/** The scope a caller of `POST /auth/introspect` must hold, granted to it by name. */
export const INTROSPECT_SCOPE = 'auth:introspect';

/** RFC 7662 §2.2's answer for an active token (`exp` absent for a token that never expires). */
export interface IntrospectionAnswer {
  active: boolean;
  scope?: string;
  client_id?: string;
  username?: string;
  sub?: string;
  exp?: number;
  iat?: number;
  token_type?: 'Bearer';
  jti?: string;
  /** Extension (RFC 7662 §2.2 allows them): the token's own scope list, for scopes granted by name. */
  own_scope?: string;
  /** Extension: the key's own rate limit, for a resource server to apply. */
  rate_limit?: string;
  /** Extension: the addresses the key may be used from, for a resource server to check. */
  allowed_ips?: string[];
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const earliest = (a: Date | null, b: Date | null): Date | null => (a === null ? b : b === null || a <= b ? a : b);

/**
 * The endpoints other parties call about a token they hold, not the holder's own session routes:
 * RFC 7662 introspection for a protected resource (another service), and RFC 7009 revocation for a
 * token's holder. Both take `application/x-www-form-urlencoded` (the RFCs') or JSON. No interceptor:
 * the body's limits are checked with its fields (`tokenParameter`) and errors are answered by the
 * filter, so an introspection allocates no observable pipeline (the route's p99 is its GC pauses).
 */
@ApiRouteGroup('token endpoints')
@Controller()
@UseGuards(MultiTokenAuthGuard)
@UseFilters(OAuthErrorsFilter)
export class TokenEndpointsController {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly tokens: TokenService,
    private readonly users: UserAccessor,
  ) {}

  /**
   * Whether `token` is active and what it is, for a caller whose own token holds `auth:introspect`
   * granted by name (`@RequireGrantedScopes`: its own list names it and its client declares it; a
   * token unrestricted by scopes, or of a client that declares none, is refused before its rate
   * limit or quota is counted). Every inactive case answers `{active: false}` alone,
   * after the same steps; nothing is counted or written for the token asked about.
   */
  @ApiRoute(ROUTE_DOCS.introspect)
  @RequireGrantedScopes(INTROSPECT_SCOPE)
  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async introspect(@Body() body: unknown): Promise<IntrospectionAnswer> {
    const found = await this.verifier.inspect(tokenParameter(body).token);
    if (!found) return { active: false };
    const { token, user } = found;
    const scopes = this.tokens.scopesOf(token);
    // A token rotated out by a refresh is active until its grace ends, not until its successor's expiry.
    const ends = earliest(token.expiresAt, token.graceEndsAt);
    return {
      active: true,
      ...(scopes === null ? {} : { scope: scopes.join(' ') }),
      client_id: token.client.name,
      username: this.users.usernameOf(user),
      sub: String(token.userId),
      ...(ends === null ? {} : { exp: seconds(ends) }),
      iat: seconds(token.createdAt),
      token_type: 'Bearer',
      jti: token.id,
      ...(token.scopes === null ? {} : { own_scope: token.scopes.join(' ') }),
      ...(token.rateLimit ? { rate_limit: token.rateLimit } : {}),
      ...(token.allowedIps ? { allowed_ips: token.allowedIps } : {}),
    };
  }

  /**
   * Revokes `token`, authenticated by the token itself (its holder is whoever can send it): 200
   * with an empty body whether or not it existed, was valid or was one of the library's (RFC 7009
   * §2.2), so the answer says nothing about it. A token of a refresh family ends the family, as a
   * logout does.
   */
  @ApiRoute(ROUTE_DOCS.revoke)
  @Public()
  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Body() body: unknown): Promise<void> {
    const record = await this.tokens.findByToken(tokenParameter(body).token);
    if (record) await this.tokens.revoke(record.userId, record.id, 'holder-revoke');
  }
}
