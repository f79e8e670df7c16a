import {
  HttpException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';

/**
 * On the RFC 7662 and RFC 7009 endpoints, a 400 carries RFC 6749 §5.2's `error: "invalid_request"`
 * (what an OAuth client library reads) in place of the reason phrase; the library's `code` and
 * `message` stay. 401 and 403 keep their RFC 6750 challenge, which is what those RFCs ask for.
 */
@Injectable()
export class OAuthErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof HttpException) || error.getStatus() !== 400) throw error;
        const body = error.getResponse();
        const fields = typeof body === 'object' && body !== null ? body : { message: body };
        throw new HttpException({ ...fields, error: 'invalid_request' }, 400, { cause: error });
      }),
    );
  }
}
