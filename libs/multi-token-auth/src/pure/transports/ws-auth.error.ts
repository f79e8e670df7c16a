import { errorAnswerOf } from '../../contracts/errors/error-body';

/** What a socket client receives in Nest's `exception` event (and in socket.io's `connect_error` `data`). */
export interface SocketAuthErrorBody {
  status: 'error';
  /** The library's stable code, as in the HTTP body: `invalid_token`, `insufficient_scope`… */
  code: string;
  /** The HTTP status the same failure answers over REST. */
  statusCode: number;
  message: string;
  requiredScopes?: string[];
  anyOfScopes?: string[];
}

/** The socket form of a library exception, or `undefined` for any other error. */
export function socketErrorBody(error: unknown): SocketAuthErrorBody | undefined {
  const answer = errorAnswerOf(error);
  return answer && { status: 'error', ...answer };
}

/** The part of @nestjs/websockets' `WsException` the library uses. */
interface WsExceptionLike extends Error {
  getError(): string | object;
}

interface WsExceptionModule {
  WsException: new (error: string | object) => WsExceptionLike;
}

/**
 * @nestjs/websockets' `WsException`, loaded on the first socket call (where a gateway proves the
 * app has the package): it stays an optional peer, never loaded by an app without sockets.
 */
export function wsExceptionClass(): WsExceptionModule['WsException'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, loaded only on a socket call
  return (require('@nestjs/websockets') as WsExceptionModule).WsException;
}

/**
 * A library exception raised in a gateway handler, as a `WsException`: Nest's socket exception
 * filter sends its body to the client in an `exception` event (any other error would reach the
 * client as "Internal server error" and be logged as a crash).
 */
export function toWsException(error: unknown): unknown {
  const body = socketErrorBody(error);
  if (!body) return error;
  const WsException = wsExceptionClass();
  return new WsException(body);
}
