import { ForbiddenException } from '@nestjs/common';
import type { BearerChallenge } from './auth.exceptions';
import { authErrorBody } from './auth-error.table';

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
      ...authErrorBody('insufficient_scope'),
      [mode === 'all' ? 'requiredScopes' : 'anyOfScopes']: [...requiredScopes],
    });
  }
}

/** 403 `scope_not_allowed`: a login or key asked for a scope its client does not allow. */
export class ScopeNotAllowedException extends ForbiddenException {
  constructor() {
    super(authErrorBody('scope_not_allowed'));
  }
}

/** 403 `scope_not_held`: a token asked to create a key with a scope it does not hold. */
export class ScopeNotHeldException extends ForbiddenException {
  constructor() {
    super(authErrorBody('scope_not_held'));
  }
}
