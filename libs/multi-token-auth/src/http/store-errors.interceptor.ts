import { HttpException, Injectable, Logger, type CallHandler, type NestInterceptor } from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { AuthUnavailableException } from '../errors/auth.exceptions';

/**
 * On the library's controllers: any failure that is not already an HTTP answer (the database is
 * down, a disk is full) becomes a short 503, logged by its message only: no stack trace in the
 * response, and nothing from the request (which may carry a password or a token) in the log.
 */
@Injectable()
export class StoreErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('MultiTokenAuth');

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof HttpException) throw error;
        this.logger.error(`token store failure: ${error instanceof Error ? error.message : String(error)}`);
        throw new AuthUnavailableException();
      }),
    );
  }
}
