import { HttpException } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PasswordChecksBusyException,
  TooManyAttemptsException,
  TooManyPasswordChecksException,
} from './attempt.exceptions';
import {
  ApiKeyNotAllowedException,
  AuthUnavailableException,
  ClientNotAllowedException,
  CredentialsChangedException,
  ExpiredTokenException,
  InactiveUserException,
  InternalErrorException,
  InvalidCredentialsException,
  InvalidTokenException,
  MalformedAuthRequestException,
  MissingTokenException,
  PasswordRequiredException,
  SessionEndedException,
  TokenLimitExceededException,
} from './auth.exceptions';
import { AUTH_ERRORS, authErrorBody, codesByStatus, type AuthErrorCode } from './auth-error.table';
import { BodyTooDeepException, JsonRequiredException, NulCharacterException } from './bad-input.exceptions';
import { CurrentSessionException, TokenNotFoundException } from './not-found.exceptions';
import { RateLimitedException } from './rate-limited.exception';
import { InsufficientScopeException, ScopeNotAllowedException, ScopeNotHeldException } from './scope.exceptions';
import {
  ApiKeyLimitException,
  ApiKeyLoginException,
  LegacyClientLoginException,
  TokenNameTakenException,
  UnknownClientException,
} from './token-issue.exceptions';
import { ValidationFailedException } from './validation-failed.exception';

const DOC = join(__dirname, '..', '..', '..', '..', '..', 'docs', 'http-api.md');
const START = '<!-- error table: generated from AUTH_ERRORS; UPDATE_DOCS=1 npx jest auth-error.table rewrites it -->';
const END = '<!-- end of error table -->';

/** `<token>` would be read as an HTML tag. */
const escape = (text: string) => text.replace(/[<>]/g, (bracket) => `\\${bracket}`);

/** Prettier pads a table's cells to align them: compared without the padding. */
const unpadded = (text: string) => text.replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---');

/** The docs' table, as AUTH_ERRORS gives it. */
function table(): string {
  const rows = Object.entries(AUTH_ERRORS).map(([code, row]) => {
    const variants = 'variants' in row ? Object.values(row.variants).map((text) => ` Also: “${text}”`) : [];
    return `| \`${code}\` | ${row.status} | ${escape(row.message)}${variants.map(escape).join('')} |`;
  });
  return [START, '', '| code | status | message |', '| --- | ---: | --- |', ...rows, '', END].join('\n');
}

describe('the error table', () => {
  it.each<[string, () => HttpException, AuthErrorCode]>([
    ['InvalidTokenException', () => new InvalidTokenException(), 'invalid_token'],
    ['ExpiredTokenException', () => new ExpiredTokenException(), 'token_expired'],
    ['InactiveUserException', () => new InactiveUserException(), 'user_inactive'],
    ['SessionEndedException', () => new SessionEndedException(), 'session_ended'],
    ['MissingTokenException', () => new MissingTokenException(), 'missing_token'],
    ['MalformedAuthRequestException', () => new MalformedAuthRequestException(), 'invalid_request'],
    ['ClientNotAllowedException', () => new ClientNotAllowedException(), 'client_not_allowed'],
    ['ApiKeyNotAllowedException', () => new ApiKeyNotAllowedException(), 'api_key_not_allowed'],
    ['InvalidCredentialsException', () => new InvalidCredentialsException(), 'invalid_credentials'],
    ['InvalidCredentialsException(inactive)', () => new InvalidCredentialsException('inactive'), 'user_inactive'],
    ['CredentialsChangedException', () => new CredentialsChangedException(), 'credentials_changed'],
    ['PasswordRequiredException', () => new PasswordRequiredException(), 'password_required'],
    ['TokenLimitExceededException', () => new TokenLimitExceededException(), 'token_limit_exceeded'],
    ['AuthUnavailableException', () => new AuthUnavailableException(), 'auth_unavailable'],
    ['InternalErrorException', () => new InternalErrorException(), 'internal_error'],
    ['TooManyAttemptsException', () => new TooManyAttemptsException(30), 'too_many_attempts'],
    ['TooManyPasswordChecksException', () => new TooManyPasswordChecksException(), 'too_many_password_checks'],
    ['PasswordChecksBusyException', () => new PasswordChecksBusyException(), 'password_checks_busy'],
    ['BodyTooDeepException', () => new BodyTooDeepException(), 'body_too_deep'],
    ['NulCharacterException', () => new NulCharacterException(), 'invalid_characters'],
    ['JsonRequiredException', () => new JsonRequiredException(), 'json_required'],
    ['TokenNotFoundException', () => new TokenNotFoundException(), 'session_not_found'],
    ['TokenNotFoundException(api key)', () => new TokenNotFoundException('api_key_not_found'), 'api_key_not_found'],
    ['CurrentSessionException', () => new CurrentSessionException(), 'current_session'],
    ['RateLimitedException', () => new RateLimitedException(), 'rate_limited'],
    ['InsufficientScopeException', () => new InsufficientScopeException(['orders:read']), 'insufficient_scope'],
    ['ScopeNotAllowedException', () => new ScopeNotAllowedException(), 'scope_not_allowed'],
    ['ScopeNotHeldException', () => new ScopeNotHeldException(), 'scope_not_held'],
    ['UnknownClientException', () => new UnknownClientException(), 'unknown_client'],
    ['ApiKeyLoginException', () => new ApiKeyLoginException(), 'api_key_login'],
    ['LegacyClientLoginException', () => new LegacyClientLoginException(), 'legacy_client_login'],
    ['ApiKeyLimitException', () => new ApiKeyLimitException(), 'api_key_limit_exceeded'],
    ['TokenNameTakenException', () => new TokenNameTakenException(), 'token_name_taken'],
  ])('%s answers its code with the status and message of the table', (_name, make, code) => {
    const error = make();
    expect(error.getStatus()).toBe(AUTH_ERRORS[code].status);
    expect(error.getResponse()).toMatchObject({
      statusCode: AUTH_ERRORS[code].status,
      code,
      message: AUTH_ERRORS[code].message,
    });
  });

  it('sends a variant in its own wording, under the same code and status', () => {
    expect(new InvalidCredentialsException('wrong_password').getResponse()).toEqual({
      statusCode: 401,
      message: 'The password is incorrect.',
      error: 'Unauthorized',
      code: 'invalid_credentials',
    });
    expect(authErrorBody('body_too_large', 'tooManyParameters')).toMatchObject({
      statusCode: 413,
      code: 'body_too_large',
    });
  });

  it('keeps validation problems as the list Nest sends, under validation_failed', () => {
    const error = new ValidationFailedException(['name must be shorter']);
    expect(error.getResponse()).toEqual({
      statusCode: 400,
      message: ['name must be shorter'],
      error: 'Bad Request',
      code: 'validation_failed',
    });
  });

  it('groups codes by the status the table gives them, in order', () => {
    expect(codesByStatus(['csrf_failed', 'invalid_token', 'client_not_allowed'])).toEqual({
      401: ['invalid_token'],
      403: ['csrf_failed', 'client_not_allowed'],
    });
  });

  it('is the table docs/http-api.md gives, row for row', () => {
    const doc = readFileSync(DOC, 'utf8');
    const [start, end] = [doc.indexOf(START), doc.indexOf(END)];
    if (process.env.UPDATE_DOCS === '1' && start !== -1 && end !== -1) {
      writeFileSync(DOC, doc.slice(0, start) + table() + doc.slice(end + END.length));
    }
    const current = readFileSync(DOC, 'utf8');
    expect(unpadded(current.slice(current.indexOf(START), current.indexOf(END) + END.length))).toBe(unpadded(table()));
  });
});
