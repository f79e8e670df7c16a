import type { ExecutionContext } from '@nestjs/common';
import type { AuthRequest, AuthResponse } from '../http/auth-request';
import { connectionStateOf, type ConnectionState } from './connection-state';

/** What a guard or a parameter decorator works on, whatever carried the call. */
export interface TransportCall {
  kind: 'http' | 'graphql' | 'ws';
  /** The object that holds `user` and `authToken` (the HTTP request, or the connection's holder). */
  req: AuthRequest;
  /** Where challenges and rate-limit headers go; a no-op on sockets. */
  res: AuthResponse;
  /** Set for a socket message or a graphql-ws operation: the connection, verified when it opened. */
  connection?: ConnectionState;
  /** A socket or graphql-ws call whose connection was never authenticated. */
  unauthenticatedConnection?: true;
}

const NO_RESPONSE: AuthResponse = {};

/**
 * The request and response behind `context`: HTTP as is; a GraphQL resolver's `context.req` (an
 * HTTP request, or over graphql-ws the connection context); a WebSocket gateway's client socket.
 * Nothing from @nestjs/graphql or @nestjs/websockets is imported: both stay optional.
 */
export function transportOf(context: ExecutionContext): TransportCall {
  const type = context.getType<string>();
  if (type === 'http') {
    return { kind: 'http', req: context.getArgByIndex<AuthRequest>(0), res: context.getArgByIndex<AuthResponse>(1) };
  }
  if (type === 'graphql') return graphqlCall(context.getArgByIndex<unknown>(2));
  if (type === 'ws') return connectionCall('ws', context.getArgByIndex<unknown>(0));
  // RPC and anything else: there is no bearer credential to read.
  return { kind: 'http', req: { headers: {} }, res: NO_RESPONSE };
}

function graphqlCall(graphqlContext: unknown): TransportCall {
  const req = (graphqlContext as { req?: unknown } | undefined)?.req as Record<string, unknown> | undefined;
  // Over graphql-ws, Nest's driver puts graphql-ws's own context (connectionParams, extra) in `req`.
  if (req && typeof req === 'object' && 'extra' in req && 'connectionParams' in req) {
    return connectionCall('graphql', req.extra);
  }
  if (!req || typeof req.headers !== 'object') return { kind: 'graphql', req: { headers: {} }, res: NO_RESPONSE };
  const res = (graphqlContext as { res?: AuthResponse }).res ?? (req.res as AuthResponse | undefined) ?? NO_RESPONSE;
  return { kind: 'graphql', req: req as unknown as AuthRequest, res };
}

function connectionCall(kind: 'graphql' | 'ws', holder: unknown): TransportCall {
  const connection = connectionStateOf(holder);
  if (!connection) return { kind, req: { headers: {} }, res: NO_RESPONSE, unauthenticatedConnection: true };
  return { kind, req: connection.request, res: NO_RESPONSE, connection };
}
