import { Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { routeError } from './route-errors.interceptor';

/**
 * On the RFC 7662 and RFC 7009 endpoints, every 400 the route answers (the guard's malformed
 * `Authorization`, the body's limits, a missing `token`) carries RFC 6749 §5.2's
 * `error: "invalid_request"` (what an OAuth client library reads) in place of the reason phrase;
 * the library's `code` and `message` stay. A filter, not an interceptor, so that it also sees what
 * guards and other interceptors throw. 401 and 403 keep their RFC 6750 challenge, as those RFCs ask.
 * Everything else is answered as `RouteErrorsInterceptor` answers it (a store outage a 503, a bug a
 * short 500), here rather than by that interceptor: a filter costs a request nothing until it fails,
 * an interceptor costs every request its observable pipeline.
 */
@Catch()
export class OAuthErrorsFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('MultiTokenAuth');

  override catch(thrown: unknown, host: ArgumentsHost): void {
    const exception = routeError(thrown, host, this.logger);
    if (exception.getStatus() !== 400) return super.catch(exception, host);
    const body = exception.getResponse();
    const fields = typeof body === 'object' && body !== null ? body : { message: body };
    super.catch(new HttpException({ ...fields, error: 'invalid_request' }, 400, { cause: exception }), host);
  }
}
