import { Inject, Injectable } from '@nestjs/common';
import { MissingTokenException } from '../errors/auth.exceptions';
import type { AuthRequest } from '../http/auth-request';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { TokenCodec } from '../tokens/token.codec';
import { TokenVerifier, type VerifiedToken } from '../tokens/token.verifier';
import { closeCodeOf } from '../transports/close-codes';
import { keepConnectionState } from '../transports/connection-state';
import { socketErrorBody } from '../transports/ws-auth.error';
import { handshakeToken, type HandshakeSources } from './handshake-credentials';
import { LiveConnections } from './live-connections';

const INTERNAL_CLOSE = { code: 1011, reason: 'internal_error' };

/** The parts of a socket.io `Socket` used here. */
export interface SocketIoSocketLike {
  handshake: { headers: Record<string, string | string[] | undefined>; auth?: unknown };
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(close?: boolean): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
}

/** The parts of a `ws` WebSocket used here (graphql-ws's `extra.socket`). */
export interface WebSocketLike {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** The upgrade request (`http.IncomingMessage`). */
export interface UpgradeRequestLike {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
}

/**
 * graphql-ws's connection context as its `onConnect` receives it. With the `ws` server (what
 * @nestjs/graphql uses) `extra` is `{ socket, request }`; it is typed `unknown` to fit Nest's types.
 */
export interface GraphqlWsContextLike {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: unknown;
}

/** graphql-ws's `extra` on the `ws` server. */
interface GraphqlWsExtra {
  socket: WebSocketLike;
  request?: UpgradeRequestLike;
}

function isWsExtra(extra: unknown): extra is GraphqlWsExtra {
  const socket = (extra as { socket?: Partial<WebSocketLike> } | null)?.socket;
  return typeof socket?.close === 'function' && typeof socket.once === 'function';
}

/** Whether a connection without any credentials is let in (anonymously). */
export interface ConnectionAuthOptions {
  /**
   * Let a connection without credentials in, anonymously: only handlers marked `@OptionalAuth()`
   * (or `@Public()`) then answer it. Bad credentials are refused all the same. Default `false`.
   */
  optional?: boolean;
}

/**
 * Authenticates long-lived connections once, when they open, with the same verifier as requests:
 * socket.io gateways (`socketIo()` middleware) and GraphQL subscriptions over graphql-ws
 * (`graphqlWs()` as `onConnect`); any other transport can call `authenticate()` itself.
 * The guard then re-checks the token on each message or operation, and `LiveConnections` closes
 * the connection as soon as its token is revoked (see README, "GraphQL and WebSockets").
 */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly codec: TokenCodec,
    private readonly live: LiveConnections,
    @Inject(RESOLVED_OPTIONS) options: ResolvedOptions,
  ) {
    live.recheckInterval = options.connectionRecheckInterval;
  }

  /**
   * Verifies the connection's token and keeps what it proved on `holder` (the socket, or
   * graphql-ws's `extra`), where the guards and `@CurrentUser()` find it; watches the connection
   * until `onClosed` fires. Throws the library's exception (401, 400, 503) when it is refused.
   */
  async authenticate(
    holder: object,
    sources: HandshakeSources,
    close: (code: number, reason: string) => void,
    onClosed: (listener: () => void) => void,
  ): Promise<VerifiedToken> {
    const token = handshakeToken(sources);
    const verified = await this.verifier.verify(token);
    const request: AuthRequest = { headers: {}, user: verified.user, authToken: verified.token };
    const state = { digest: this.codec.digest(token), request, close };
    keepConnectionState(holder, state);
    onClosed(this.live.add(state, verified.token.userId));
    return verified;
  }

  /**
   * socket.io middleware: `afterInit(server: Server) { server.use(this.sockets.socketIo()); }`.
   * The token comes as `auth: { token }` (or `Authorization: Bearer` on the handshake, for
   * non-browser clients); a refused connection gets socket.io's `connect_error` with the fixed
   * message and `data: { code, statusCode }`. A socket whose token is revoked later receives an
   * `exception` event with the code, then is disconnected.
   */
  socketIo(options: ConnectionAuthOptions = {}): (socket: SocketIoSocketLike, next: (error?: Error) => void) => void {
    return (socket, next) => {
      const sources = { headers: socket.handshake.headers, payload: socket.handshake.auth };
      const close = (code: number, reason: string) => {
        socket.emit('exception', { status: 'error', code: reason, closeCode: code });
        socket.disconnect(true);
      };
      this.authenticate(socket, sources, close, (forget) => socket.once('disconnect', forget)).then(
        () => next(),
        (error: unknown) => next(this.allowed(error, options) ? undefined : connectError(error)),
      );
    };
  }

  /**
   * graphql-ws's `onConnect`, for subscriptions with the Apollo driver:
   * `subscriptions: { 'graphql-ws': { onConnect: sockets.graphqlWs() } }`. The token comes in the
   * connection parameters (`{ authorization: 'Bearer …' }` or `{ token }`). A refused connection is
   * closed with 4401 (graphql-ws's Unauthorized) and the code as reason; 4400 when malformed.
   */
  graphqlWs(options: ConnectionAuthOptions = {}): (context: GraphqlWsContextLike) => Promise<boolean> {
    return async ({ connectionParams, extra }) => {
      if (!isWsExtra(extra)) {
        throw new Error(
          'multi-token-auth: graphqlWs() needs graphql-ws on the ws server (extra.socket), as @nestjs/graphql sets it up.',
        );
      }
      const socket = extra.socket;
      const close = (code: number, reason: string) => socket.close(code, reason);
      const sources = {
        headers: extra.request?.headers,
        rawHeaders: extra.request?.rawHeaders,
        payload: connectionParams,
      };
      try {
        await this.authenticate(extra, sources, close, (forget) => socket.once('close', forget));
        return true;
      } catch (error) {
        if (this.allowed(error, options)) return true;
        const { code, reason } = closeCodeOf(error) ?? INTERNAL_CLOSE;
        socket.close(code, reason);
        return false;
      }
    };
  }

  /** An anonymous connection where that is allowed: no credentials at all, never bad ones. */
  private allowed(error: unknown, options: ConnectionAuthOptions): boolean {
    return options.optional === true && error instanceof MissingTokenException;
  }
}

/** socket.io's way to refuse a handshake: an `Error` whose `data` reaches the client's `connect_error`. */
function connectError(error: unknown): Error {
  const body = socketErrorBody(error);
  if (!body) return new Error('Internal server error');
  return Object.assign(new Error(body.message), { data: { code: body.code, statusCode: body.statusCode } });
}
