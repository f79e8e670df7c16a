import { Body, Controller, Headers, HttpCode, Logger, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { authErrorBody } from '../../contracts/errors/auth-error.table';
import { BodyRejectedException } from '../../contracts/errors/bad-input.exceptions';
import { LeakReportException } from '../../contracts/errors/leak.exceptions';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import { SigningKeySource } from '../../infrastructure/leaks/signing-key.source';
import type { AuthRequest, AuthResponse } from '../../pure/http/auth-request';
import { requestMeta } from '../../pure/http/request-meta';
import { Public } from '../../pure/decorators/public.decorator';
import { feedbackOf, parseLeakReports, type LeakFeedback } from '../../pure/leaks/leak-report';
import { signs } from '../../pure/leaks/report-signature';
import { LeakedTokenRevoker } from '../../services/tokens/leaked-token.revoker';
import { credentialList } from '../dto/credential-list.dto';
import { CredentialRevocationLimit } from '../guards/credential-revocation.limit';
import { BodyLimitsInterceptor } from '../http/body-limits.interceptor';
import { RouteErrorsInterceptor } from '../http/route-errors.interceptor';
import { ApiRoute, ApiRouteGroup } from '../openapi/api-route.decorator';
import { ROUTE_DOCS } from '../openapi/auth-routes.docs';

/** Whether a `Content-Type` names JSON (`application/json`, with or without parameters). */
function isJson(type: unknown): boolean {
  return typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type.trim());
}

/** A request as Nest gives it with `rawBody: true` (Express and Fastify alike). */
type RawBodyRequest = AuthRequest & { rawBody?: unknown };

/**
 * Where tokens found in the open are reported, and revoked at once: GitHub's secret-scanning
 * partner program (a signed report), and anyone who holds tokens (GitHub's credential revocation
 * API's shape). Neither needs a token of the caller's: a report proves itself by its signature, a
 * revocation by holding the token.
 */
@ApiRouteGroup('token endpoints')
@Controller()
@UseInterceptors(RouteErrorsInterceptor, new BodyLimitsInterceptor())
export class LeakedTokensController {
  private readonly logger = new Logger('MultiTokenAuth');
  private rawBodyWarned = false;

  constructor(
    private readonly leaks: LeakedTokenRevoker,
    private readonly keys: SigningKeySource,
    private readonly limit: CredentialRevocationLimit,
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
  ) {}

  /**
   * A GitHub secret-scanning report: the signature is checked over the bytes received, before the
   * body is read; an unsigned or wrongly signed report is 401 and revokes nothing. Answers GitHub's
   * feedback, one entry per reported token by its SHA-256 (never the token).
   */
  @ApiRoute(ROUTE_DOCS.leakedTokens)
  @Public()
  @Post('leaked-tokens')
  @HttpCode(200)
  async leakedTokens(
    @Req() req: RawBodyRequest,
    @Headers('github-public-key-identifier') keyId: unknown,
    @Headers('github-public-key-signature') signature: unknown,
  ): Promise<LeakFeedback[]> {
    if (!this.options.secretScanning) throw new LeakReportException('secret_scanning_disabled');
    // GitHub sends JSON; anything else was never parsed, so has no raw body either: 415, not a misconfiguration.
    if (!isJson(req.headers['content-type'])) throw new BodyRejectedException(authErrorBody('unsupported_media_type'));
    const raw = req.rawBody;
    if (!Buffer.isBuffer(raw)) throw this.noRawBody();
    if (typeof keyId !== 'string' || typeof signature !== 'string' || keyId.length === 0 || keyId.length > 256) {
      throw new LeakReportException('invalid_signature');
    }
    const key = await this.keys.keyFor(keyId);
    if (!key || !signs(signature, raw, key)) throw new LeakReportException('invalid_signature');
    const reports = parseLeakReports(raw);
    const ours = await this.leaks.revokeReported(reports, 'secret-scanning', null);
    return reports.map((report, index) => feedbackOf(report, ours[index]));
  }

  /**
   * Revokes every stored token of `credentials`, whoever owns it; 202 with an empty body whatever
   * was stored. Counted per address (`credentialRevocation.perIp`) before the body is validated.
   */
  @ApiRoute(ROUTE_DOCS.revokeCredentials)
  @Public()
  @Post('credentials/revoke')
  @HttpCode(202)
  async revokeCredentials(
    @Req() req: AuthRequest,
    @Res({ passthrough: true }) res: AuthResponse,
    @Body() body: unknown,
  ): Promise<void> {
    if (!this.options.credentialRevocation) throw new LeakReportException('credential_revocation_disabled');
    await this.limit.check(req, res);
    const reports = credentialList(body).map((token) => ({ token, type: null, url: null, source: null }));
    await this.leaks.revokeReported(reports, 'credential-revocation', requestMeta(req).ip);
  }

  private noRawBody(): LeakReportException {
    if (!this.rawBodyWarned) {
      this.rawBodyWarned = true;
      this.logger.error(
        'POST /auth/leaked-tokens needs the bytes GitHub signed: create the app with ' +
          'NestFactory.create(AppModule, { rawBody: true }). Every report is refused until then.',
      );
    }
    return new LeakReportException('raw_body_required');
  }
}
