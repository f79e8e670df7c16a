import type { HttpAdapterHost } from '@nestjs/core';
import type { AuthRequest, AuthResponse } from '../../pure/http/auth-request';

/** Where a Fastify request keeps its reply for the strategy (Express requests carry `res` already). */
const REPLY = Symbol('multiTokenAuthReply');

type Hook = (request: Record<symbol, unknown>, reply: AuthResponse, done: () => void) => void;

/**
 * Passport hands a strategy the request alone, and a Fastify request does not know its reply; the
 * strategy needs it to send its `WWW-Authenticate` challenge when an app uses
 * `AuthGuard('multi-token-bearer')` directly (the library's own guards set it themselves). One
 * assignment per request, added before Fastify is ready (Nest calls `onModuleInit` first).
 */
export function linkFastifyReplies(host: HttpAdapterHost | undefined): void {
  const adapter = host?.httpAdapter;
  if (adapter?.getType() !== 'fastify') return;
  adapter
    .getInstance<{ addHook(name: 'onRequest', hook: Hook): unknown }>()
    .addHook('onRequest', (request, reply, done) => {
      request[REPLY] = reply;
      done();
    });
}

/** The response of `req`: Express's `req.res`, or the Fastify reply linked above. */
export function responseOf(req: AuthRequest): AuthResponse | undefined {
  const withResponse = req as AuthRequest & { res?: AuthResponse; [REPLY]?: AuthResponse };
  return withResponse.res ?? withResponse[REPLY];
}
