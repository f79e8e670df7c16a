import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import type { AuthRequest } from '../../pure/http/auth-request';

/** Keys that Nest's ValidationPipe deletes from a body, anywhere in it, before a controller sees it. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a body that uses `__proto__`, `constructor` or `prototype` as a key anywhere (400
 * `validation_failed`), before the pipes run. Nest's ValidationPipe would delete those keys
 * silently: a key's `metadata` would be stored without them, and a field the route refuses would
 * pass unseen. Runs after `BodyLimitsInterceptor`, so the walk is bounded by its depth limit.
 */
export class ReservedKeysInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const found = reservedKeyIn(context.switchToHttp().getRequest<AuthRequest>().body);
      if (found !== undefined) {
        throw new ValidationFailedException([`the key ${JSON.stringify(found)} is not accepted anywhere in the body`]);
      }
    }
    return next.handle();
  }
}

function reservedKeyIn(root: unknown): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue;
    for (const key of Object.keys(value)) {
      if (RESERVED.has(key)) return key;
      stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}
