import { HttpException, HttpStatus } from '@nestjs/common';

export const TOO_MANY_ATTEMPTS_MESSAGE = 'Too many password attempts; try again later.';
export const PASSWORD_CHECKS_BUSY_MESSAGE = 'Too many sign-ins at once; try again in a moment.';

/** An error that says when to come back; the library's routes send it as `Retry-After` (seconds). */
export interface RetryAfter {
  readonly retryAfterSeconds: number;
}

/** 429 `too_many_attempts`: the username+IP or the IP has used up its password attempts. */
export class TooManyAttemptsException extends HttpException implements RetryAfter {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        message: TOO_MANY_ATTEMPTS_MESSAGE,
        error: 'Too Many Requests',
        code: 'too_many_attempts',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

export const TOO_MANY_PASSWORD_CHECKS_MESSAGE = 'Too many sign-ins from this address at once; try again in a moment.';

/** 429 `too_many_password_checks`: this client (IP) already has its share of password checks waiting. */
export class TooManyPasswordChecksException extends HttpException implements RetryAfter {
  readonly retryAfterSeconds = 1;
  constructor() {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        message: TOO_MANY_PASSWORD_CHECKS_MESSAGE,
        error: 'Too Many Requests',
        code: 'too_many_password_checks',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** 503 `password_checks_busy`: every password-check slot and the whole queue are taken. */
export class PasswordChecksBusyException extends HttpException implements RetryAfter {
  readonly retryAfterSeconds = 1;
  constructor() {
    super(
      {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        message: PASSWORD_CHECKS_BUSY_MESSAGE,
        error: 'Service Unavailable',
        code: 'password_checks_busy',
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
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
