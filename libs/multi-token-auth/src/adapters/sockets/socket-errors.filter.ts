import { Catch, HttpException, Logger, type ArgumentsHost, type WsExceptionFilter } from '@nestjs/common';
import { socketErrorBody, wsExceptionClass } from '../../pure/transports/ws-auth.error';

/** What a refused or failed message answers: `SocketAuthErrorBody` for the library's errors. */
export type SocketErrorPayload = object;

/** The message Nest gives a client for an error that is not a `WsException` (a bug): nothing of it leaks. */
export const SOCKET_INTERNAL_ERROR = 'Internal server error';

interface EmittingClient {
  emit?: (event: string, ...args: unknown[]) => unknown;
  /** A native WebSocket (`ws`): its `emit` only dispatches locally, so the frame is sent instead. */
  send?: (data: string) => unknown;
  readyState?: unknown;
}

/**
 * Nest's socket exception filter, plus the acknowledgement: a message sent with `emitWithAck()`
 * (or a callback as its last argument) that a guard or a handler refuses gets the same body as the
 * `exception` event, instead of leaving the client to its own timeout. Nest's
 * `BaseWsExceptionFilter` emits `exception` and never answers the ack.
 *
 * - The library's errors (and any `HttpException`, the app's own included) answer in the socket
 *   form `{status: 'error', code, statusCode, message}` (`SocketAuthErrorBody`), as the guard sends them.
 * - A `WsException` answers as Nest does: its object as it is, a string as `{status: 'error', message}`
 *   (without Nest's `cause` echo of the message's data).
 * - Anything else is a bug: `{status: 'error', message: 'Internal server error'}`, logged like Nest does.
 *
 * Use it on gateways, beside the guard: `@UseFilters(SocketErrorsFilter)`. Not as a global filter:
 * it catches everything and answers over the socket, so on HTTP it has nothing to answer with.
 * Subclasses may override `payloadOf()`.
 */
@Catch()
export class SocketErrorsFilter implements WsExceptionFilter {
  private static readonly logger = new Logger('WsExceptionsHandler');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const payload = this.payloadOf(exception);
    emit(ws.getClient<EmittingClient>(), payload);
    // socket.io answers an ack once: a handler that already answered it keeps its own answer.
    ackOf(host)?.(payload);
  }

  /** The body sent in the `exception` event and to the acknowledgement. */
  protected payloadOf(exception: unknown): SocketErrorPayload {
    const WsException = wsExceptionClass();
    if (exception instanceof WsException) {
      const error = exception.getError();
      return typeof error === 'object' && error !== null ? error : { status: 'error', message: String(error) };
    }
    if (exception instanceof HttpException) return socketErrorBody(exception) as SocketErrorPayload;
    SocketErrorsFilter.logger.error(exception);
    return { status: 'error', message: SOCKET_INTERNAL_ERROR };
  }
}

function emit(client: EmittingClient, payload: SocketErrorPayload): void {
  if (typeof client.readyState === 'number' && typeof client.send === 'function') {
    client.send(JSON.stringify({ event: 'exception', data: payload }));
  } else {
    client.emit?.('exception', payload);
  }
}

/**
 * The message's acknowledgement callback, if it has one. A gateway handler's arguments are
 * `[socket, data, ack, pattern]` on NestJS 11 and 12 (the adapter passes the ack after the data,
 * the pattern is appended last), so the ack is looked for after the data, never in it.
 */
function ackOf(host: ArgumentsHost): ((payload: SocketErrorPayload) => void) | undefined {
  const found = host
    .getArgs<unknown[]>()
    .slice(2)
    .find((arg) => typeof arg === 'function');
  return found as ((payload: SocketErrorPayload) => void) | undefined;
}
