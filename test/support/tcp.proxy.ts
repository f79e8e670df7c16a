import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy the spec controls, between one client (an instance's Redis link) and its server:
 * `hang()` stops forwarding in both directions while every socket stays open (a hung link: what
 * was sent waits in the buffers), `resume()` lets it flow again, `refuse()` resets every connection
 * and refuses new ones until `resume()`.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  private hung = false;
  private readonly held: (() => void)[] = [];
  private refusing = false;

  private constructor(
    private readonly upstreamPort: number,
    private readonly upstreamHost: string,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a proxy to `host:port` on a free local port. */
  static async start(port: number, host = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(port, host);
    await new Promise<void>((listening) => proxy.server.listen(0, '127.0.0.1', listening));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  hang(): void {
    this.hung = true;
  }

  refuse(): void {
    this.refusing = true;
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  resume(): void {
    this.hung = false;
    this.refusing = false;
    for (const flush of this.held.splice(0)) flush();
  }

  async stop(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((closed) => this.server.close(() => closed()));
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(this.upstreamPort, this.upstreamHost);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    // Forwarded by hand, not piped: while hung, every chunk waits here, in order, until resume().
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (this.hung) this.held.push(() => to.write(chunk));
      else to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }
}
