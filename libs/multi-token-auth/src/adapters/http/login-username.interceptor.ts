import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import type { AuthRequest } from '../../pure/http/auth-request';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** Fields the login body has already: a `usernameField` of one of these names cannot double as it. */
const LOGIN_FIELDS = new Set(['username', 'password', 'client', 'name', 'scopes']);

/**
 * `POST /auth/login` takes the login name as `username`, and also under the name of
 * `user.usernameField` (`{"email": …}` when it is `email`), as a form built for the app's own
 * users table would send it. Both with different values is a 400 `validation_failed`: which one to
 * check would be a guess. Runs before the pipes, so validation sees one `username`.
 */
@Injectable()
export class LoginUsernameInterceptor implements NestInterceptor {
  private readonly alias?: string;

  constructor(@InjectMultiTokenAuthOptions() options: ResolvedOptions) {
    const field = options.user.usernameField;
    if (!LOGIN_FIELDS.has(field)) this.alias = field;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body = context.switchToHttp().getRequest<AuthRequest>().body;
    if (this.alias !== undefined && typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const fields = body as Record<string, unknown>;
      const value = fields[this.alias];
      if (value !== undefined) {
        if (fields['username'] !== undefined && fields['username'] !== value) {
          throw new ValidationFailedException([`username and ${this.alias} differ; send one of them.`]);
        }
        fields['username'] = value;
        delete fields[this.alias];
      }
    }
    return next.handle();
  }
}
