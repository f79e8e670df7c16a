import {
  BadRequestException,
  HttpException,
  Injectable,
  Logger,
  type CallHandler,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { AuthUnavailableException } from '../errors/auth.exceptions';
import { ValidationFailedException } from '../errors/validation-failed.exception';

/**
 * On the library's controllers, every failure leaves as a well-formed answer with a stable `code`:
 * - a 400 from a validation pipe without a code (the app's global `ValidationPipe` runs before the
 *   library's own, so its errors arrive here) becomes `validation_failed`, with the same messages;
 * - any failure that is not already an HTTP answer (the database is down, a disk is full) becomes a
 *   short 503, logged by its message only: no stack trace in the response, and nothing from the
 *   request (which may carry a password or a token) in the log.
 */
@Injectable()
export class RouteErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('MultiTokenAuth');

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof BadRequestException && !hasCode(error)) throw withCode(error);
        if (error instanceof HttpException) throw error;
        this.logger.error(`token store failure: ${error instanceof Error ? error.message : String(error)}`);
        throw new AuthUnavailableException();
      }),
    );
  }
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
