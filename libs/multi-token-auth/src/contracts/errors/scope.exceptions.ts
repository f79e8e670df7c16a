import { ForbiddenException, HttpStatus } from '@nestjs/common';
import type { BearerChallenge } from './auth.exceptions';
import { body } from './error-body';

export const INSUFFICIENT_SCOPE_MESSAGE = 'The token lacks a scope this route requires.';
export const SCOPE_NOT_ALLOWED_MESSAGE = 'The client does not allow a requested scope.';
export const SCOPE_NOT_HELD_MESSAGE = 'A token cannot grant a scope it does not hold itself.';

/**
 * 403 `insufficient_scope` (RFC 6750 §3.1): a valid token without the scopes the route requires.
 * The challenge names them in its `scope` attribute.
 */
export class InsufficientScopeException extends ForbiddenException implements BearerChallenge {
  readonly bearerError = 'insufficient_scope';
  /**
   * @param requiredScopes the scopes the route names
   * @param mode whether it needs all of them or any one
   */
  constructor(
    readonly requiredScopes: readonly string[],
    readonly mode: 'all' | 'any' = 'all',
  ) {
    super({
      ...body(HttpStatus.FORBIDDEN, INSUFFICIENT_SCOPE_MESSAGE, 'Forbidden', 'insufficient_scope'),
      [mode === 'all' ? 'requiredScopes' : 'anyOfScopes']: [...requiredScopes],
    });
  }
}

/** 403 `scope_not_allowed`: a login or key asked for a scope its client does not allow. */
export class ScopeNotAllowedException extends ForbiddenException {
  constructor() {
    super(body(HttpStatus.FORBIDDEN, SCOPE_NOT_ALLOWED_MESSAGE, 'Forbidden', 'scope_not_allowed'));
  }
}

/** 403 `scope_not_held`: a token asked to create a key with a scope it does not hold. */
export class ScopeNotHeldException extends ForbiddenException {
  constructor() {
    super(body(HttpStatus.FORBIDDEN, SCOPE_NOT_HELD_MESSAGE, 'Forbidden', 'scope_not_held'));
  }
}
