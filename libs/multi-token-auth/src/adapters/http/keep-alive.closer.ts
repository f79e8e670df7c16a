import { Injectable, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How often connections left idle are closed while the server drains. */
export const IDLE_SWEEP_MS = 50;
/** How long a connection that has sent nothing is left alone: a request may still be on its way. */
export const SILENT_MS = 250;

/**
 * Lets the app's HTTP/1.1 server (HTTPS included) finish closing while clients keep connections open.
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
 * idle connections are closed (what `close()` does once), and those that have sent nothing for
 * 250 ms since they were accepted (over TLS: since the handshake). Each client's connection ends
 * after at most one more answer; requests in flight are answered, not cut off. Before shutdown
 * the only cost is one map entry per open connection. An HTTP/2 server is left alone (its
 * sessions are not Node's HTTP/1 connections): see docs/operations.md.
 */
@Injectable()
export class KeepAliveCloser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;
  /** Open connections, with when each was accepted (or finished its TLS handshake). */
  private readonly connections = new Map<Socket, number>();

  constructor(@Optional() private readonly host?: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    // An application context (the CLI) has no HTTP server; an HTTP/2 one has no closeIdleConnections.
    const server = this.host?.httpAdapter?.getHttpServer() as Server | undefined;
    if (typeof server?.closeIdleConnections !== 'function') return;
    this.server = server;
    const track = (socket: Socket) => {
      this.connections.set(socket, performance.now());
      socket.once('close', () => this.connections.delete(socket));
    };
    // Over TLS the raw socket has read the handshake: its TLS socket says whether a request came.
    server.on('connection', track).on('secureConnection', track);
  }

  beforeApplicationShutdown(): void {
    const server = this.server;
    if (!server?.listening) return;
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
      if (!response.headersSent) response.setHeader('connection', 'close');
    });
    // Only once the server has stopped listening: no connection is accepted after that.
    const sweep = setInterval(() => {
      if (server.listening) return;
      server.closeIdleConnections();
      const now = performance.now();
      for (const [socket, since] of this.connections) {
        if (socket.bytesRead === 0 && now - since >= SILENT_MS) socket.destroy();
      }
    }, IDLE_SWEEP_MS).unref();
    server.once('close', () => clearInterval(sweep));
  }
}
