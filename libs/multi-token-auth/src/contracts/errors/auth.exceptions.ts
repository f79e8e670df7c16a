import { BadRequestException, ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { AUTH_ERRORS, authErrorBody } from './auth-error.table';

/** An RFC 6750 error: knows the `WWW-Authenticate` challenge that must go with it. */
export interface BearerChallenge {
  /** RFC 6750 `error` code, or `undefined` when the request had no credentials at all. */
  readonly bearerError?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;
}

/** The codes a refused token answers with (all 401 `invalid_token` in the RFC 6750 challenge). */
export type InvalidTokenCode =
  | 'invalid_token'
  | 'token_expired'
  | 'key_disabled'
  | 'user_inactive'
  | 'session_ended'
  | 'token_reused'
  | 'token_rotated';

/** 401 `invalid_token`: unknown, revoked, expired or inactive-user token. */
export class InvalidTokenException extends UnauthorizedException implements BearerChallenge {
  readonly bearerError = 'invalid_token';
  constructor(code: InvalidTokenCode = 'invalid_token') {
    super(authErrorBody(code));
  }
}

/** 401 `token_expired`. */
export class ExpiredTokenException extends InvalidTokenException {
  constructor() {
    super('token_expired');
  }
}

/** 401 `key_disabled`: the token is paused (`enabled: false`) until its owner enables it again. */
export class KeyDisabledException extends InvalidTokenException {
  constructor() {
    super('key_disabled');
  }
}

/**
 * 401 `token_reused`: a token a refresh rotated out was presented after its grace, so taken as
 * stolen; its whole family has been revoked.
 */
export class TokenReusedException extends InvalidTokenException {
  constructor() {
    super('token_reused');
  }
}

/** 401 `token_rotated`: a refresh of a token that another refresh has already rotated out (within its grace). */
export class TokenRotatedException extends InvalidTokenException {
  constructor() {
    super('token_rotated');
  }
}

/** 403 `ip_not_allowed`: the token has an `allowedIps` list the request's address is not in. */
export class IpNotAllowedException extends ForbiddenException {
  constructor() {
    super(authErrorBody('ip_not_allowed'));
  }
}

/** 401 `user_inactive`: the token's user is inactive or deleted. */
export class InactiveUserException extends InvalidTokenException {
  constructor() {
    super('user_inactive');
  }
}

/** 401: the session a new token derives from was revoked while the token was being issued. */
export class SessionEndedException extends InvalidTokenException {
  constructor() {
    super('session_ended');
  }
}

/** 401 with a bare challenge: the request carried no bearer credentials. */
export class MissingTokenException extends UnauthorizedException implements BearerChallenge {
  readonly bearerError = undefined;
  constructor() {
    super(authErrorBody('missing_token'));
  }
}

/** 400 `invalid_request`: a malformed header, or a token in the query string or body. */
export class MalformedAuthRequestException extends BadRequestException implements BearerChallenge {
  readonly bearerError = 'invalid_request';
  constructor() {
    super(authErrorBody('invalid_request'));
  }
}

/** 403 `insufficient_scope`: a valid token of a client the route refuses. */
export class ClientNotAllowedException extends ForbiddenException implements BearerChallenge {
  readonly bearerError = 'insufficient_scope';
  constructor() {
    super(authErrorBody('client_not_allowed'));
  }
}

/** 403 `insufficient_scope`: an API key on a route marked `@DisallowApiKeys()`. */
export class ApiKeyNotAllowedException extends ForbiddenException implements BearerChallenge {
  readonly bearerError = 'insufficient_scope';
  constructor() {
    super(authErrorBody('api_key_not_allowed'));
  }
}

/** Why a sign-in or re-authentication was refused. */
export type CredentialsFailure = 'unknown' | 'wrong_password' | 'inactive' | 'changed';

/**
 * 401 at login. `unknown`: a wrong password and an unknown user alike (`invalid_credentials`);
 * `inactive`: the password was right but the user is inactive (`user_inactive`, said only after the
 * password proved right); `wrong_password`: a signed-in user re-authenticating ("The password is
 * incorrect."); `changed`: the password changed while the login was checked. The attempt limiter counts
 * every one of them.
 */
export class InvalidCredentialsException extends UnauthorizedException {
  constructor(failure: CredentialsFailure = 'unknown') {
    super(
      failure === 'inactive'
        ? authErrorBody('user_inactive')
        : failure === 'changed'
          ? authErrorBody('credentials_changed')
          : authErrorBody('invalid_credentials', failure === 'wrong_password' ? 'wrongPassword' : undefined),
    );
  }
}

/** 401 at login: the password changed (or the user was deactivated) while the login was checked. */
export class CredentialsChangedException extends InvalidCredentialsException {
  constructor() {
    super('changed');
  }
}

/** 400: the action needs the account's password and the body had none. */
export class PasswordRequiredException extends BadRequestException {
  constructor() {
    super(authErrorBody('password_required'));
  }
}

/** 403 under the `reject` token-limit policy. */
export class TokenLimitExceededException extends ForbiddenException {
  constructor() {
    super(authErrorBody('token_limit_exceeded'));
  }
}

/** 503: the token store could not be reached. Never an accept, never a stack trace. */
export class AuthUnavailableException extends HttpException {
  constructor() {
    super(authErrorBody('auth_unavailable'), AUTH_ERRORS.auth_unavailable.status);
  }
}

/** 500: not an outage but a bug; the body says no more than that. */
export class InternalErrorException extends HttpException {
  constructor() {
    super(authErrorBody('internal_error'), AUTH_ERRORS.internal_error.status);
  }
}

/** Whether `error` carries an RFC 6750 challenge. */
export function isBearerChallenge(error: unknown): error is HttpException & BearerChallenge {
  return error instanceof HttpException && 'bearerError' in error;
}
