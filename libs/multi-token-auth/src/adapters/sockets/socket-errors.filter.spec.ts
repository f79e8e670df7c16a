import { ConflictException, Logger, type ArgumentsHost } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { InvalidTokenException } from '../../contracts/errors/auth.exceptions';
import { AUTH_ERRORS } from '../../contracts/errors/auth-error.table';
import { toWsException } from '../../pure/transports/ws-auth.error';
import { SOCKET_INTERNAL_ERROR, SocketErrorsFilter } from './socket-errors.filter';

/** A gateway call as NestJS 11 and 12 build it: `[socket, data, ack, pattern]` (their ExecutionContextHost). */
function setup(ack?: jest.Mock, client: Record<string, unknown> = { emit: jest.fn() }) {
  const args = [client, { item: 'tea' }, ack, 'createOrder'];
  const host = {
    getType: () => 'ws',
    getArgs: () => args,
    getArgByIndex: (index: number) => args[index],
    switchToWs: () => ({ getClient: () => args[0], getData: () => args[1], getPattern: () => args.at(-1) }),
  } as unknown as ArgumentsHost;
  return { host, client };
}

describe('SocketErrorsFilter', () => {
  const filter = new SocketErrorsFilter();

  it("answers the ack with the exception event's body: a library error the guard turned into a WsException", () => {
    const ack = jest.fn();
    const { host, client } = setup(ack);
    filter.catch(toWsException(new InvalidTokenException()), host);
    const body = {
      status: 'error',
      code: 'invalid_token',
      statusCode: 401,
      message: AUTH_ERRORS.invalid_token.message,
    };
    expect(client.emit).toHaveBeenCalledWith('exception', body);
    expect(ack.mock.calls).toEqual([[body]]);
  });

  it('a message without an ack: only the exception event (the pattern, last, is never taken for one)', () => {
    const { host, client } = setup(undefined);
    filter.catch(new WsException('Nope'), host);
    expect(client.emit).toHaveBeenCalledWith('exception', { status: 'error', message: 'Nope' });
  });

  it("an HttpException the handler threw (the app's or the library's) in the socket form", () => {
    const ack = jest.fn();
    filter.catch(
      new ConflictException({ statusCode: 409, message: 'Taken.', error: 'Conflict', code: 'order_taken' }),
      setup(ack).host,
    );
    expect(ack).toHaveBeenCalledWith({ status: 'error', code: 'order_taken', statusCode: 409, message: 'Taken.' });
  });

  it('a bug: the fixed message to the client, the error to the log', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const ack = jest.fn();
    const bug = new Error('secret detail');
    filter.catch(bug, setup(ack).host);
    expect(ack).toHaveBeenCalledWith({ status: 'error', message: SOCKET_INTERNAL_ERROR });
    expect(logged).toHaveBeenCalledWith(bug);
    logged.mockRestore();
  });

  it('a native WebSocket client (ws adapter) gets the event as a frame, as Nest 12 sends it', () => {
    const client = { readyState: 1, send: jest.fn(), emit: jest.fn() };
    filter.catch(new WsException({ code: 'x' }), setup(undefined, client).host);
    expect(client.send).toHaveBeenCalledWith(JSON.stringify({ event: 'exception', data: { code: 'x' } }));
    expect(client.emit).not.toHaveBeenCalled();
  });
});
