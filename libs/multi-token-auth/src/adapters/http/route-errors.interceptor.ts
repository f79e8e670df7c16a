import {
  BadRequestException,
  HttpException,
  Injectable,
  Logger,
  type ArgumentsHost,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { AuthUnavailableException, InternalErrorException } from '../../contracts/errors/auth.exceptions';
import { isStoreOutage } from '../../contracts/errors/store-outage';
import { hasRetryAfter } from '../../contracts/errors/attempt.exceptions';
import { setResponseHeader, type AuthResponse } from '../../pure/http/auth-request';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';

/**
 * On the library's controllers (and on any of the app's that use it, such as a password change),
 * every failure leaves as a well-formed answer with a stable `code`:
 * - a 429 or 503 that knows when to retry (`TooManyAttemptsException`…) sends `Retry-After`;
 * - a 400 from a validation pipe without a code (the app's global `ValidationPipe` runs before the
 *   library's own, so its errors arrive here) becomes `validation_failed`, with the same messages;
 * - a store outage (the database is down, a disk is full: `isStoreOutage`) becomes a short 503,
 *   logged by its message only; any other failure is a bug and becomes a short 500, logged with its
 *   stack. Never a stack trace in the response, and nothing from the request (which may carry a
 *   password or a token) in the log.
 */
@Injectable()
export class RouteErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('MultiTokenAuth');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw routeError(error, context, this.logger);
      }),
    );
  }
}

/**
 * What a library route answers for `error`, as the class comment says: an `HttpException` (with a
 * code), after setting `Retry-After` where the error knows it. Shared by the interceptor and by
 * `OAuthErrorsFilter`, which does the same for the RFC endpoints without an interceptor per request.
 */
export function routeError(error: unknown, host: ArgumentsHost, logger: Logger): HttpException {
  if (error instanceof BadRequestException && !hasCode(error)) return withCode(error);
  if (hasRetryAfter(error) && host.getType() === 'http') {
    const res = host.switchToHttp().getResponse<AuthResponse>();
    setResponseHeader(res, 'Retry-After', String(error.retryAfterSeconds));
  }
  if (error instanceof HttpException) return error;
  if (isStoreOutage(error)) {
    logger.error(`token store failure: ${error instanceof Error ? error.message : String(error)}`);
    return new AuthUnavailableException();
  }
  // A bug, not an outage: 500, with the stack in the log (never the request, which may hold secrets).
  logger.error(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, stackOf(error));
  return new InternalErrorException();
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

function hasCode(error: HttpException): boolean {
  const body = error.getResponse();
  return typeof body === 'object' && 'code' in body;
}

function withCode(error: BadRequestException): ValidationFailedException {
  const body = error.getResponse();
  const message = typeof body === 'object' && 'message' in body ? body.message : error.message;
  const messages = Array.isArray(message) ? message.map(String) : [String(message)];
  return new ValidationFailedException(messages);
}
