import { randomUUID } from 'node:crypto';
import type { Revocation, RedisConnection, RevocationBus } from '../../contracts/revocation-bus.interface';

/** Heartbeat period and the silence after which the bus counts as down, in milliseconds. */
export const HEARTBEAT_MS = 100;
export const SILENCE_MS = 600;

export interface RevocationHandlers {
  /** A revocation published by another instance. */
  revoked(revocation: Revocation): void;
  /** The bus became healthy again: whatever was missed meanwhile must be discarded. */
  recovered(): void;
}

/**
 * Revocations over Redis pub/sub. Pub/sub rather than a stream or keyspace notifications: delivery
 * is immediate (well under the 50 ms budget), nothing is stored, and what a disconnected instance
 * misses does not matter because it stops using its cache until it is back and has cleared it.
 *
 * Health is proven, not assumed: every 100 ms the bus publishes a ping to its own channel through
 * the publisher and must hear it back on the subscriber. A closed socket counts as down at once; a
 * hung server (no answer on an open socket) after 600 ms of silence, so a cache stops being
 * trusted within 1 s either way. Publishing never waits: a revocation answers at the database's
 * pace even with Redis down or hung (ioredis queues it and sends it on reconnection).
 */
export class RedisRevocationBus implements RevocationBus {
  readonly instanceId = randomUUID();
  private healthy = false;
  private lastHeard = -Infinity;
  private timer?: NodeJS.Timeout;
  private handlers?: RevocationHandlers;

  constructor(
    private readonly publisher: RedisConnection,
    private readonly subscriber: RedisConnection,
    private readonly channel: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Where remote revocations and recoveries go (the verified-token cache). */
  attach(handlers: RevocationHandlers): void {
    this.handlers = handlers;
  }

  private get pingChannel(): string {
    return `${this.channel}:ping:${this.instanceId}`;
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel, message) => this.receive(channel, message));
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('close', () => this.down());
      connection.on('end', () => this.down());
    }
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref();
    await this.subscriber.subscribe(this.channel, this.pingChannel).catch(() => undefined);
    this.beat();
  }

  stop(): void {
    clearInterval(this.timer);
    this.healthy = false;
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  isHealthy(): boolean {
    return this.healthy;
  }

  publish(revocation: Revocation): void {
    this.publisher
      .publish(this.channel, JSON.stringify({ from: this.instanceId, ...revocation }))
      .catch(() => undefined);
  }

  private beat(): void {
    if (this.healthy && this.now() - this.lastHeard > SILENCE_MS) this.down();
    // Pings are not queued while disconnected: a backlog of them would prove nothing.
    if (this.publisher.status === 'ready')
      this.publisher.publish(this.pingChannel, String(this.now())).catch(() => undefined);
  }

  private receive(channel: string, message: string): void {
    if (channel === this.pingChannel) {
      // Only a ping sent recently proves the path works now (a resumed server delivers old ones).
      if (this.now() - Number(message) > SILENCE_MS) return;
      this.lastHeard = this.now();
      if (!this.healthy) {
        this.healthy = true;
        this.handlers?.recovered();
      }
      return;
    }
    const parsed = parse(message);
    if (parsed && parsed.from !== this.instanceId) this.handlers?.revoked(parsed.revocation);
  }

  private down(): void {
    this.healthy = false;
  }
}

function parse(message: string): { from: string; revocation: Revocation } | undefined {
  try {
    const { from, ...rest } = JSON.parse(message) as { from?: unknown } & Record<string, unknown>;
    if (typeof from !== 'string') return undefined;
    if (Array.isArray(rest.digests)) return { from, revocation: { digests: rest.digests.map(String) } };
    if (typeof rest.userId === 'string' || typeof rest.userId === 'number')
      return { from, revocation: { userId: rest.userId } };
    if (rest.all === true) return { from, revocation: { all: true } };
    return undefined;
  } catch {
    return undefined;
  }
}
