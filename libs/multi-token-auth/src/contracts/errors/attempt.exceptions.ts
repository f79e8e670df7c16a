import { HttpException } from '@nestjs/common';
import { AUTH_ERRORS, authErrorBody } from './auth-error.table';

/** An error that says when to come back; the library's routes send it as `Retry-After` (seconds). */
export interface RetryAfter {
  readonly retryAfterSeconds: number;
}

/** 429 `too_many_attempts`: the username+IP or the IP has used up its password attempts. */
export class TooManyAttemptsException extends HttpException implements RetryAfter {
  constructor(readonly retryAfterSeconds: number) {
    super(authErrorBody('too_many_attempts'), AUTH_ERRORS.too_many_attempts.status);
  }
}

/** 429 `too_many_password_checks`: this client (IP) already has its share of password checks waiting. */
export class TooManyPasswordChecksException extends HttpException implements RetryAfter {
  readonly retryAfterSeconds = 1;
  constructor() {
    super(authErrorBody('too_many_password_checks'), AUTH_ERRORS.too_many_password_checks.status);
  }
}

/** 503 `password_checks_busy`: every password-check slot and the whole queue are taken. */
export class PasswordChecksBusyException extends HttpException implements RetryAfter {
  readonly retryAfterSeconds = 1;
  constructor() {
    super(authErrorBody('password_checks_busy'), AUTH_ERRORS.password_checks_busy.status);
  }
}

/**
 * 503 `password_checks_busy`, the same answer, for a request refused because of what its own address
 * asked for: its check yielded its place to a network asking for less, or it came while its network
 * asked for more than the waiting ones. The attempt limiter counts these against the address (never
 * the username+address); the plain {@link PasswordChecksBusyException} (a crowd of newcomers, or
 * `maxWait` passed) counts against nobody.
 */
export class PasswordCheckOutrankedException extends PasswordChecksBusyException {}

/** Whether `error` says when to retry. */
export function hasRetryAfter(error: unknown): error is HttpException & RetryAfter {
  return error instanceof HttpException && typeof (error as Partial<RetryAfter>).retryAfterSeconds === 'number';
}
