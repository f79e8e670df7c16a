import { isBearerChallenge } from '../../contracts/errors/auth.exceptions';
import { InsufficientScopeException } from '../../contracts/errors/scope.exceptions';
import { setResponseHeader, type AuthResponse } from './auth-request';

/**
 * Sets the RFC 6750 `WWW-Authenticate` header that belongs with `error` (if it is a bearer error)
 * and returns the error, for `throw withChallenge(...)`. The description is the exception's fixed
 * message; nothing from the request is ever echoed into it.
 */
export function withChallenge<E>(error: E, res: AuthResponse, realm: string): E {
  if (isBearerChallenge(error)) {
    let value = `Bearer realm="${realm}"`;
    if (error.bearerError) {
      const response = error.getResponse() as { message?: unknown };
      value += `, error="${error.bearerError}", error_description="${String(response.message)}"`;
    }
    // RFC 6750 §3: the scope the resource needs. Scopes are checked ASCII without quotes (scope-set.ts).
    if (error instanceof InsufficientScopeException) value += `, scope="${error.requiredScopes.join(' ')}"`;
    setResponseHeader(res, 'WWW-Authenticate', value);
  }
  return error;
}
