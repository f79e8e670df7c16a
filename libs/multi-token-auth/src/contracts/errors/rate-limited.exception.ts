import { HttpException } from '@nestjs/common';
import { AUTH_ERRORS, authErrorBody } from './auth-error.table';

/** 429 from the per user+client limit; `Retry-After` is set before it is thrown. */
export class RateLimitedException extends HttpException {
  constructor() {
    super(authErrorBody('rate_limited'), AUTH_ERRORS.rate_limited.status);
  }
}
