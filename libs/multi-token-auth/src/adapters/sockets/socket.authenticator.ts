import { Injectable } from '@nestjs/common';
import { MissingTokenException } from '../../contracts/errors/auth.exceptions';
import type { AuthRequest } from '../../pure/http/auth-request';
import { TokenCodec } from '../../pure/tokens/token.codec';
import { TokenVerifier, type VerifiedToken } from '../../services/tokens/token.verifier';
import { closeCodeOf } from '../../pure/transports/close-codes';
import { keepConnectionState, type ConnectionState } from '../../pure/transports/connection-state';
import { socketErrorBody } from '../../pure/transports/ws-auth.error';
import { handshakeToken, type HandshakeSources } from './handshake-credentials';
import { LiveConnections } from './live-connections';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { UserId } from '../../contracts/user-id';
import type { ResolvedOptions } from '../../contracts/resolved-options';

const INTERNAL_CLOSE = { code: 1011, reason: 'internal_error' };
const WS_CLOSED = 3;

/** The parts of a socket.io namespace used here (where a socket's `connection` event fires). */
export interface SocketIoNamespaceLike {
  on(event: 'connection', listener: (socket: never) => void): unknown;
}

/** The parts of a socket.io `Socket` used here. */
export interface SocketIoSocketLike {
  handshake: { headers: Record<string, string | string[] | undefined>; auth?: unknown; address?: string };
  /** The upgrade request, for its raw header list. */
  request?: { rawHeaders?: string[] | undefined } | undefined;
  nsp: SocketIoNamespaceLike;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(close?: boolean): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
}

/** The parts of a `ws` WebSocket used here (graphql-ws's `extra.socket`). */
export interface WebSocketLike {
  /** 3 once closed. */
  readyState: number;
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** The upgrade request (`http.IncomingMessage`). */
export interface UpgradeRequestLike {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[] | undefined;
  socket?: { remoteAddress?: string | undefined } | undefined;
}

/**
 * graphql-ws's connection context as its `onConnect` receives it. With the `ws` server (what
 * @nestjs/graphql uses) `extra` is `{ socket, request }`; it is typed `unknown` to fit Nest's types.
 */
export interface GraphqlWsContextLike {
  connectionParams?: Readonly<Record<string, unknown>> | undefined;
  extra: unknown;
}

/** graphql-ws's `extra` on the `ws` server. */
interface GraphqlWsExtra {
  socket: WebSocketLike;
  request?: UpgradeRequestLike;
}

function isWsExtra(extra: unknown): extra is GraphqlWsExtra {
  const socket = (extra as { socket?: Partial<WebSocketLike> } | null)?.socket;
  return (
    typeof socket?.close === 'function' && typeof socket.once === 'function' && typeof socket.readyState === 'number'
  );
}

/** Whether a connection without any credentials is let in (anonymously). */
export interface ConnectionAuthOptions {
  /**
   * Let a connection without credentials in, anonymously: only handlers marked `@OptionalAuth()`
   * (or `@Public()`) then answer it. Bad credentials are refused all the same. Default `false`.
   */
  optional?: boolean | undefined;
}

/**
 * Authenticates long-lived connections once, when they open, with the same verifier as requests:
 * socket.io gateways (`socketIo()` middleware) and GraphQL subscriptions over graphql-ws
 * (`graphqlWs()` as `onConnect`); any other transport can call `authenticate()` itself.
 * The guard then re-checks the token on each message or operation, and `LiveConnections` closes
 * the connection as soon as its token is revoked (see docs/real-time.md).
 */
@Injectable()
export class SocketAuthenticator {
  /** socket.io sockets verified by the middleware, not yet connected (weak: a refused one just goes). */
  private readonly pending = new WeakMap<object, { state: ConnectionState; userId: UserId }>();
  private readonly namespaces = new WeakSet<object>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly codec: TokenCodec,
    private readonly live: LiveConnections,
    @InjectMultiTokenAuthOptions() options: ResolvedOptions,
  ) {
    live.recheckInterval = options.connectionRecheckInterval;
  }

  /**
   * Verifies the connection's token and keeps what it proved on `holder` (the socket, or
   * graphql-ws's `extra`), where the guards and `@CurrentUser()` find it; watches the connection
   * until the listener given to `onClosed` is called (on close, or at once when the connection is
   * already closed). Throws the library's exception (401, 400, 503) when it is refused.
   */
  async authenticate(
    holder: object,
    sources: HandshakeSources,
    close: (code: number, reason: string) => void,
    onClosed: (listener: () => void) => void,
  ): Promise<VerifiedToken> {
    const { state, verified } = await this.verifyHandshake(holder, sources, close);
    const forget = this.live.add(state, verified.token.userId);
    onClosed(forget);
    try {
      await this.live.confirm(state);
    } catch (error) {
      forget();
      throw error;
    }
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
      const sources = {
        headers: socket.handshake.headers,
        rawHeaders: socket.request?.rawHeaders,
        payload: socket.handshake.auth,
        address: socket.handshake.address,
      };
      let closing = false;
      const close = (code: number, reason: string) => {
        // Once: two re-checks at once (a revocation notice and a message) both find the token gone.
        if (closing) return;
        closing = true;
        socket.emit('exception', { status: 'error', code: reason, closeCode: code });
        // This namespace only: the client's other namespaces share the connection. On the next turn
        // of the event loop: a message whose re-check closes the socket is refused right after this
        // (guard, then exception filter, all in microtasks), and its acknowledgement must reach the
        // client before the disconnect, which makes socket.io-client drop every pending ack.
        setImmediate(() => socket.disconnect());
      };
      this.verifyHandshake(socket, sources, close).then(
        ({ state, verified }) => {
          // Watched from its `connection` event: a socket refused by a later middleware, or dropped
          // before it connects, never fires `disconnect`, and would be watched forever.
          this.watchOnConnection(socket.nsp);
          this.pending.set(socket, { state, userId: verified.token.userId });
          next();
        },
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
        address: extra.request?.socket?.remoteAddress,
      };
      try {
        const onClosed = (forget: () => void) =>
          socket.readyState === WS_CLOSED ? forget() : socket.once('close', forget);
        await this.authenticate(extra, sources, close, onClosed);
        return true;
      } catch (error) {
        if (this.allowed(error, options)) return true;
        const { code, reason } = closeCodeOf(error) ?? INTERNAL_CLOSE;
        socket.close(code, reason);
        return false;
      }
    };
  }

  private async verifyHandshake(
    holder: object,
    sources: HandshakeSources,
    close: (code: number, reason: string) => void,
  ): Promise<{ state: ConnectionState; verified: VerifiedToken }> {
    const token = handshakeToken(sources);
    const verified = await this.verifier.verify(token, { ip: sources.address });
    const request: AuthRequest = { headers: {}, ip: sources.address, user: verified.user, authToken: verified.token };
    const state = { digest: this.codec.digest(token), request, close };
    keepConnectionState(holder, state);
    return { state, verified };
  }

  /** One listener per namespace starts watching each socket authenticated by `socketIo()` once it connects. */
  private watchOnConnection(namespace: SocketIoNamespaceLike): void {
    if (this.namespaces.has(namespace)) return;
    this.namespaces.add(namespace);
    namespace.on('connection', (socket: SocketIoSocketLike) => {
      const pending = this.pending.get(socket);
      if (!pending) return;
      this.pending.delete(socket);
      const forget = this.live.add(pending.state, pending.userId);
      socket.once('disconnect', forget);
      this.live.confirm(pending.state).catch((error: unknown) => {
        forget();
        const { code, reason } = closeCodeOf(error) ?? INTERNAL_CLOSE;
        pending.state.close(code, reason);
      });
    });
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
