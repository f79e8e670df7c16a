import type { AuthRequest } from '../http/auth-request';

/** Where a socket (socket.io, ws) or a graphql-ws connection keeps what it was authenticated with. */
export const CONNECTION_STATE = Symbol('multiTokenAuthConnection');

/**
 * A long-lived connection verified once, at its start: the token's digest (never the token), and
 * the request-like object the guards and `@CurrentUser()` read on each message or operation.
 */
export interface ConnectionState {
  /** Hex SHA-256 of the token it connected with. */
  digest: string;
  /** Holds `user` and `authToken`, refreshed each time the token is re-checked. */
  request: AuthRequest;
  /** Ends the connection with a transport close code and a short reason (the error's code). */
  close(code: number, reason: string): void;
}

/** The connection state kept on `holder` (a socket, graphql-ws's `extra`), if it was authenticated. */
export function connectionStateOf(holder: unknown): ConnectionState | undefined {
  if (typeof holder !== 'object' || holder === null) return undefined;
  return (holder as { [CONNECTION_STATE]?: ConnectionState })[CONNECTION_STATE];
}

/** Keeps `state` on `holder`, out of sight of serializers (a symbol key, not enumerable). */
export function keepConnectionState(holder: object, state: ConnectionState): void {
  Object.defineProperty(holder, CONNECTION_STATE, { value: state, configurable: true, enumerable: false });
}
