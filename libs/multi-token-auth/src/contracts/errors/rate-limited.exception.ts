import { HttpException, HttpStatus } from '@nestjs/common';
import { RATE_LIMITED_MESSAGE } from './auth.exceptions';

/** 429 from the per user+client limit; `Retry-After` is set before it is thrown. */
export class RateLimitedException extends HttpException {
  constructor() {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        message: RATE_LIMITED_MESSAGE,
        error: 'Too Many Requests',
        code: 'rate_limited',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
