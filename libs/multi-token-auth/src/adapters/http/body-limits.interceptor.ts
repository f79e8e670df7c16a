import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { BodyTooDeepException, NulCharacterException } from '../../contracts/errors/bad-input.exceptions';
import type { AuthRequest } from '../../pure/http/auth-request';

/** Deepest nesting of objects and arrays accepted in a request body. */
export const DEFAULT_MAX_BODY_DEPTH = 32;

/**
 * Refuses, before any pipe runs, a body nested deeper than `maxDepth` (400 `body_too_deep`) and a
 * NUL character in any key or string of the body or the query (400 `invalid_characters`).
 *
 * Interceptors run before pipes, and the pipes are what is at risk: class-transformer and
 * class-validator recurse, so 2 000 levels of `[[[…]]]` overflow the stack (a 500) and 50 000 cost
 * a tenth of a second of event loop; PostgreSQL refuses NUL in text, which would surface as a store
 * failure. The walk here is iterative and stops at the first problem. The library's controllers
 * use it; register it globally to give the app's own routes the same floor:
 *
 * @example
 * app.useGlobalInterceptors(new BodyLimitsInterceptor());
 */
export class BodyLimitsInterceptor implements NestInterceptor {
  constructor(private readonly maxDepth = DEFAULT_MAX_BODY_DEPTH) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<AuthRequest>();
      check(req.body, this.maxDepth);
      if (req.url?.includes('%00')) check(req.query, this.maxDepth);
    }
    return next.handle();
  }
}

/** 400 `body_too_deep` or `invalid_characters` for `root` past the limits the interceptor applies. */
export function checkBodyLimits(root: unknown, maxDepth = DEFAULT_MAX_BODY_DEPTH): void {
  check(root, maxDepth);
}

function check(root: unknown, maxDepth: number): void {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw new NulCharacterException();
      continue;
    }
    // Raw bodies (a Buffer, a typed array) are bytes, not nesting: nothing to walk.
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue;
    if (depth >= maxDepth) throw new BodyTooDeepException();
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) throw new NulCharacterException();
      stack.push([child, depth + 1]);
    }
  }
}
