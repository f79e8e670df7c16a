import type { UserId } from './user-id';

/** What one instance tells the others: these tokens, this user's tokens, or everything, ended. */
export type Revocation = { digests: string[] } | { userId: UserId } | { all: true };

/** The minimal Redis connection the bus uses; an ioredis `Redis` fits it. */
export interface RedisConnection {
  readonly status: string;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(...channels: string[]): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'close' | 'end' | 'ready' | 'reconnecting', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  duplicate(): RedisConnection;
  disconnect(): void;
}

/** Shares revocations between instances and says whether this instance may trust its cache. */
export interface RevocationBus {
  /** Tells every other instance; never waits on the network, never throws. */
  publish(revocation: Revocation): void;
  /** `false` while the bus cannot prove it hears the others: the cache must not be used then. */
  isHealthy(): boolean;
  /** Closes its connections. */
  stop(): void;
}
