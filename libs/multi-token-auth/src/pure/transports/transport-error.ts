import { withChallenge } from '../http/bearer-challenge';
import { toGraphqlError } from './graphql-auth.error';
import type { TransportCall } from './transport-call';
import { toWsException } from './ws-auth.error';

/**
 * A guard's error in the form its transport expects: over HTTP the exception with its RFC 6750
 * challenge header; in a GraphQL resolver an error with `extensions.code`; in a gateway handler a
 * `WsException`. Idempotent: an error already shaped passes unchanged.
 */
export function forTransport(call: TransportCall, error: unknown, realm: string): unknown {
  if (call.kind === 'graphql') return toGraphqlError(error);
  if (call.kind === 'ws') return toWsException(error);
  return withChallenge(error, call.res, realm);
}
