import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  UnauthorizedException,
} from '@nestjs/common';
import { body } from './error-body';

/** Default messages: stable, exported, and never containing the token. */
export const INVALID_TOKEN_MESSAGE = 'Invalid token.';
export const EXPIRED_TOKEN_MESSAGE = 'Token has expired.';
export const INACTIVE_USER_MESSAGE = 'User inactive or deleted.';
export const MISSING_TOKEN_MESSAGE = 'Authentication credentials were not provided.';
export const MALFORMED_REQUEST_MESSAGE =
  'Malformed request: send one token as Authorization: Bearer <token>, never as an access_token parameter.';
export const CLIENT_NOT_ALLOWED_MESSAGE = 'This client may not use this route.';
export const API_KEY_NOT_ALLOWED_MESSAGE = 'API keys cannot be used for this action; sign in with a password.';
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid username or password.';
export const WRONG_PASSWORD_MESSAGE = 'The password is incorrect.';
export const PASSWORD_REQUIRED_MESSAGE = 'Send the account password (password) to do this.';
export const TOKEN_LIMIT_MESSAGE = 'Maximum amount of tokens allowed per user exceeded.';
export const RATE_LIMITED_MESSAGE = 'Too many requests.';
export const SESSION_ENDED_MESSAGE = 'The session making this request has ended.';
export const CREDENTIALS_CHANGED_MESSAGE = 'The credentials changed while signing in; sign in again.';
export const UNAVAILABLE_MESSAGE = 'Authentication is temporarily unavailable.';

/** An RFC 6750 error: knows the `WWW-Authenticate` challenge that must go with it. */
export interface BearerChallenge {
  /** RFC 6750 `error` code, or `undefined` when the request had no credentials at all. */
  readonly bearerError?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;
}

/** 401 `invalid_token`: unknown, revoked, expired or inactive-user token. */
export class InvalidTokenException extends UnauthorizedException implements BearerChallenge {
  readonly bearerError = 'invalid_token';
  constructor(message = INVALID_TOKEN_MESSAGE, code = 'invalid_token') {
    super(body(HttpStatus.UNAUTHORIZED, message, 'Unauthorized', code));
  }
}

export class ExpiredTokenException extends InvalidTokenException {
  constructor() {
    super(EXPIRED_TOKEN_MESSAGE, 'token_expired');
  }
}

export class InactiveUserException extends InvalidTokenException {
  constructor() {
    super(INACTIVE_USER_MESSAGE, 'user_inactive');
  }
}

/** 401 with a bare challenge: the request carried no bearer credentials. */
export class MissingTokenException extends UnauthorizedException implements BearerChallenge {
  readonly bearerError = undefined;
  constructor() {
    super(body(HttpStatus.UNAUTHORIZED, MISSING_TOKEN_MESSAGE, 'Unauthorized', 'missing_token'));
  }
}

/** 400 `invalid_request`: a malformed header, or a token in the query string or body. */
export class MalformedAuthRequestException extends BadRequestException implements BearerChallenge {
  readonly bearerError = 'invalid_request';
  constructor() {
    super(body(HttpStatus.BAD_REQUEST, MALFORMED_REQUEST_MESSAGE, 'Bad Request', 'invalid_request'));
  }
}

/** 403 `insufficient_scope`: a valid token of a client the route refuses. */
export class ClientNotAllowedException extends ForbiddenException implements BearerChallenge {
  readonly bearerError = 'insufficient_scope';
  constructor() {
    super(body(HttpStatus.FORBIDDEN, CLIENT_NOT_ALLOWED_MESSAGE, 'Forbidden', 'client_not_allowed'));
  }
}

/** 403 `insufficient_scope`: an API key on a route marked `@DisallowApiKeys()`. */
export class ApiKeyNotAllowedException extends ForbiddenException implements BearerChallenge {
  readonly bearerError = 'insufficient_scope';
  constructor() {
    super(body(HttpStatus.FORBIDDEN, API_KEY_NOT_ALLOWED_MESSAGE, 'Forbidden', 'api_key_not_allowed'));
  }
}

/** 401 at login, for a wrong password and an unknown user alike. */
export class InvalidCredentialsException extends UnauthorizedException {
  constructor(message = INVALID_CREDENTIALS_MESSAGE, code = 'invalid_credentials') {
    super(body(HttpStatus.UNAUTHORIZED, message, 'Unauthorized', code));
  }
}

/** 401: the session a new token derives from was revoked while the token was being issued. */
export class SessionEndedException extends InvalidTokenException {
  constructor() {
    super(SESSION_ENDED_MESSAGE, 'session_ended');
  }
}

/** 401 at login: the password changed (or the user was deactivated) while the login was checked. */
export class CredentialsChangedException extends InvalidCredentialsException {
  constructor() {
    super(CREDENTIALS_CHANGED_MESSAGE, 'credentials_changed');
  }
}

/** 400: the action needs the account's password and the body had none. */
export class PasswordRequiredException extends BadRequestException {
  constructor() {
    super(body(HttpStatus.BAD_REQUEST, PASSWORD_REQUIRED_MESSAGE, 'Bad Request', 'password_required'));
  }
}

/** 403 under the `reject` token-limit policy. */
export class TokenLimitExceededException extends ForbiddenException {
  constructor() {
    super(body(HttpStatus.FORBIDDEN, TOKEN_LIMIT_MESSAGE, 'Forbidden', 'token_limit_exceeded'));
  }
}

/** 503: the token store could not be reached. Never an accept, never a stack trace. */
export class AuthUnavailableException extends HttpException {
  constructor() {
    super(
      body(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE, 'Service Unavailable', 'auth_unavailable'),
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

/** 500: not an outage but a bug; the body says no more than that. */
export class InternalErrorException extends HttpException {
  constructor() {
    super(
      body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error', 'Internal Server Error', 'internal_error'),
      HttpStatus.INTERNAL_SERVER_ERROR,
    );
  }
}

/** Whether `error` carries an RFC 6750 challenge. */
export function isBearerChallenge(error: unknown): error is HttpException & BearerChallenge {
  return error instanceof HttpException && 'bearerError' in error;
}
