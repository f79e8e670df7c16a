import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { isTokenText, MAX_TOKEN_TEXT } from '../../pure/tokens/token.codec';
import { checkBodyLimits } from '../http/body-limits.interceptor';

/**
 * The body of `POST /auth/introspect` (RFC 7662 §2.1) and `POST /auth/revoke` (RFC 7009 §2.1), as
 * `application/x-www-form-urlencoded` (what the RFCs name) or JSON. Other parameters (a client's
 * `client_id`, say) are ignored, as the RFCs allow.
 */
export interface TokenParameter {
  /** The token asked about, or to revoke. */
  token: string;
  /** `access_token` or `refresh_token` (RFC 7009): a hint only; every token is looked up the same way. */
  token_type_hint?: string | undefined;
}

/**
 * `body` as a `TokenParameter`, or 400 `validation_failed`. Two fields, checked by hand: no DTO
 * class, so an app's global `ValidationPipe` (its own options) has nothing to transform here. A
 * repeated form field (`token=a&token=b`) arrives as an array and is refused, never guessed at. The
 * body's depth and NUL characters are checked first, as `BodyLimitsInterceptor` would (400
 * `body_too_deep`, `invalid_characters`).
 */
export function tokenParameter(body: unknown): TokenParameter {
  checkBodyLimits(body);
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { token, token_type_hint: hint } = fields;
  const problems: string[] = [];
  if (!isTokenText(token)) problems.push(`token must be a string of 1 to ${MAX_TOKEN_TEXT} characters`);
  if (hint !== undefined && (typeof hint !== 'string' || hint.length > 64)) {
    problems.push('token_type_hint must be a string of at most 64 characters');
  }
  if (problems.length > 0) throw new ValidationFailedException(problems);
  return { token: token as string, token_type_hint: hint as string | undefined };
}
