import { Injectable, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How often connections left idle are closed while the server drains. */
export const IDLE_SWEEP_MS = 50;

/**
 * Lets the app's HTTP server finish closing while clients keep connections open.
 *
 * `app.close()` ends in Node's `server.close()`, which closes the keep-alive connections idle at
 * that instant and waits for all others, with no deadline. Two kinds never end on their own:
 * a connection with a request in flight at that instant answers `Connection: keep-alive` and
 * stays open for as long as its client keeps using it (a resource server reads the revocation
 * feed every 200 ms, and a busy one introspects without pause); and a connection that has sent
 * nothing yet (a proxy or load balancer that connects ahead of its requests) is not "idle" to
 * Node at all. An owner that received SIGTERM at the wrong moment never exited.
 *
 * So, once the app begins to shut down (before its server closes), every answer closes its
 * connection; and once the server has stopped listening, every 50 ms until it has closed, the
 * idle connections and those that have sent nothing are closed (what `close()` does once):
 * each client's connection ends after at most one more answer. Requests in flight are answered,
 * not cut off. Before shutdown the only cost is one set entry per open connection.
 */
@Injectable()
export class KeepAliveCloser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;
  private readonly connections = new Set<Socket>();

  constructor(@Optional() private readonly host?: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    // An application context (the CLI) has no HTTP server; an HTTP/2 server has no keep-alive.
    const server = this.host?.httpAdapter?.getHttpServer() as Server | undefined;
    if (typeof server?.closeIdleConnections !== 'function') return;
    this.server = server;
    server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
  }

  beforeApplicationShutdown(): void {
    const server = this.server;
    if (!server?.listening) return;
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
      if (!response.headersSent) response.setHeader('connection', 'close');
    });
    // Only once the server has stopped listening: before that, a connection just accepted has sent
    // nothing yet too, and closing it could cut off the request on its way.
    const sweep = setInterval(() => {
      if (server.listening) return;
      server.closeIdleConnections();
      for (const socket of this.connections) if (socket.bytesRead === 0) socket.destroy();
    }, IDLE_SWEEP_MS).unref();
    server.once('close', () => clearInterval(sweep));
  }
}
