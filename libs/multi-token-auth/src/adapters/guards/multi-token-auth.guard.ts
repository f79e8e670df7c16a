import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { MalformedAuthRequestException, MissingTokenException } from '../../contracts/errors/auth.exceptions';
import type { RoutePolicy } from '../../pure/decorators/route-policy';
import type { AuthRequest } from '../../pure/http/auth-request';
import type { BearerCredentials } from '../../pure/http/bearer-header.parser';
import type { TransportCall } from '../../pure/transports/transport-call';
import { TokenVerifier } from '../../services/tokens/token.verifier';
import { CookieTransport } from '../http/cookie-transport';
import { GuardSteps, type BearerGuardHooks } from './guard-steps';

/**
 * Bearer authentication (or the session cookie of a browser client, with its CSRF check) without
 * the Passport wrapper (the same verifier, a shorter path), then the client check, the scopes and
 * the rate limit: 401 → 403 → 429, in that order by construction. `@Public()` routes pass
 * untouched; `@OptionalAuth()` routes let a request without credentials through anonymously.
 *
 * The same guard works on HTTP routes, GraphQL resolvers (over HTTP and graphql-ws) and
 * WebSocket gateway handlers; see `SocketAuthenticator` for authenticating the connections.
 *
 * Each step is a `protected` method an app overrides by subclassing, as with @nestjs/throttler's
 * guard: `extractCredentials`, `authenticate`, `authorize`, `refuse`. What the guard needs is
 * injected into properties, so a subclass's constructor declares only its own dependencies.
 *
 * @example
 * @Injectable()
 * export class AuditedGuard extends MultiTokenAuthGuard {
 *   constructor(private readonly audit: AuditLog) {
 *     super();
 *   }
 *   protected override refuse(call: TransportCall, error: unknown): never {
 *     this.audit.refused(call.req.ip, error);
 *     return super.refuse(call, error);
 *   }
 * }
 */
@Injectable()
export class MultiTokenAuthGuard implements CanActivate {
  @Inject(GuardSteps) private readonly steps!: GuardSteps;
  @Inject(TokenVerifier) protected readonly verifier!: TokenVerifier;
  @Inject(CookieTransport) private readonly cookies!: CookieTransport;

  canActivate(context: ExecutionContext): Promise<boolean> {
    return this.steps.run(context, this.hooks);
  }

  /** The steps, bound once (a subclass's overrides included) rather than closures per request. */
  private readonly hooks: BearerGuardHooks = {
    authenticate: (call, context) => this.authenticate(call, context),
    authorize: (context, call, policy) => this.authorize(context, call, policy),
    refuse: (call, error) => this.refuse(call, error),
  };

  /**
   * Step 1: the request's credentials. `Authorization: Bearer …` (or the `legacyTokens.scheme`
   * word); `none` without any, `malformed` for a header the grammar refuses or a token in the URL.
   */
  protected extractCredentials(req: AuthRequest): BearerCredentials {
    return this.steps.credentials(req);
  }

  /**
   * Step 2: verifies the bearer token (or, with no `Authorization` header, the session cookie) and
   * puts the user and the token record on the request. Throws 400, 401 or 503.
   */
  protected async authenticate({ req }: TransportCall, _context?: ExecutionContext): Promise<void> {
    const credentials = this.extractCredentials(req);
    if (credentials.kind === 'malformed') throw new MalformedAuthRequestException();
    // No Authorization header: the session cookie of a browser client, if there is one.
    const fromCookie = credentials.kind === 'none' ? this.cookies.read(req) : undefined;
    if (credentials.kind === 'none' && fromCookie === undefined) throw new MissingTokenException();
    const { user, token } =
      credentials.kind === 'token'
        ? await this.verifier.verify(credentials.token, { ip: req.ip })
        : await this.cookies.verify(req, fromCookie as string);
    req.user = user;
    req.authToken = token;
  }

  /** Step 3: the client check (403), the scopes (403), the rate limit (429), in that order. */
  protected authorize(context: ExecutionContext, call: TransportCall, policy: RoutePolicy): Promise<boolean> {
    return this.steps.authorize(context, call, policy);
  }

  /** Step 4: throws a refusal in the transport's form (HTTP with its challenge, GraphQL, socket). */
  protected refuse(call: TransportCall, error: unknown): never {
    throw this.steps.transportError(call, error);
  }
}
