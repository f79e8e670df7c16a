import { HttpException } from '@nestjs/common';
import { AUTH_ERRORS, authErrorBody } from './auth-error.table';

/** 429 from the per user+client limit; `Retry-After` is set before it is thrown. */
export class RateLimitedException extends HttpException {
  constructor() {
    super(authErrorBody('rate_limited'), AUTH_ERRORS.rate_limited.status);
  }
}

/** 429 from a token's quota (`quota_exhausted`); `Retry-After` is set before it is thrown when a refill is due. */
export class QuotaExhaustedException extends HttpException {
  constructor() {
    super(authErrorBody('quota_exhausted'), AUTH_ERRORS.quota_exhausted.status);
  }
}
