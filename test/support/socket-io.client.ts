import { io, type Manager, type Socket } from 'socket.io-client';
import { within } from '../../libs/multi-token-auth/src/testing/within';

/** A connected socket, with every `exception` event and disconnect reason it received so far. */
export interface Connected {
  socket: Socket;
  exceptions: Record<string, unknown>[];
  disconnects: string[];
}

export interface OpenOptions {
  auth?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** A connection to share with other namespaces (socket.io multiplexes them); a new one by default. */
  manager?: Manager;
}

/**
 * socket.io clients of the server at `url()` (read when a socket opens, so a spec can start its
 * server in `beforeAll`), over WebSocket only and never reconnecting. Call `disconnectAll` after each
 * test: every socket opened here is disconnected.
 */
export function socketIoClients(url: () => string) {
  const sockets: Socket[] = [];

  function open(options: OpenOptions, namespace = '') {
    const socket = options.manager
      ? options.manager.socket(namespace || '/', { auth: options.auth })
      : io(`${url()}${namespace}`, {
          forceNew: true,
          transports: ['websocket'],
          reconnection: false,
          auth: options.auth,
          extraHeaders: options.headers,
        });
    sockets.push(socket);
    return socket;
  }

  /** Connects and resolves once connected, or with socket.io's connect_error. */
  async function connect(options: OpenOptions, namespace = ''): Promise<Connected> {
    const socket = open(options, namespace);
    const exceptions: Record<string, unknown>[] = [];
    const disconnects: string[] = [];
    socket.on('exception', (body: Record<string, unknown>) => exceptions.push(body));
    socket.on('disconnect', (reason) => disconnects.push(reason));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return { socket, exceptions, disconnects };
  }

  /** Resolves with the connect_error's message and data; rejects if the socket connects. */
  async function refused(options: OpenOptions, namespace = '') {
    const error = await new Promise<Error & { data?: unknown }>((resolve, reject) => {
      const socket = open(options, namespace);
      socket.once('connect', () => reject(new Error('connected')));
      socket.once('connect_error', resolve);
    });
    return { message: error.message, data: error.data };
  }

  function disconnectAll() {
    for (const socket of sockets.splice(0)) socket.disconnect();
  }

  return { open, connect, refused, disconnectAll };
}

/** Sends an event and resolves with its answer, or with the `exception` the guard raised. */
export async function ask(connected: Connected, event: string, body: unknown = {}): Promise<unknown> {
  const before = connected.exceptions.length;
  const answer = connected.socket.timeout(3000).emitWithAck(event, body);
  const failed = within(3000, () => connected.exceptions.length > before).then(() => connected.exceptions[before]);
  return Promise.race([answer, failed]);
}
