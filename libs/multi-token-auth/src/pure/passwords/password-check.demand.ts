/**
 * How many password checks each network asked for lately: in the current window of `windowMs()` and
 * the one before it. Two windows, not one, so that no instant forgets everybody at once (a single
 * window, cleared when it ends, made every flooding network look new again at that instant). Every
 * request counts when it asks, whether it then runs, waits or is refused, so a network gains
 * nothing by being refused. Bounded by what reaches the queue in two windows, and forgotten after
 * them: enough to tell a flooding network from a person, not a record of who signed in.
 */
export class PasswordCheckDemand {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private windowEndsAt = 0;

  /** @param windowMs the window's length in milliseconds (the queue's `maxWait`), read at each roll */
  constructor(private readonly windowMs: () => number) {}

  /** Counts one check asked for by `network`; returns its demand, this one included. */
  add(network: string): number {
    this.roll();
    this.current.set(network, (this.current.get(network) ?? 0) + 1);
    return this.of(network);
  }

  /** Checks `network` asked for in this window and the one before. */
  of(network: string): number {
    this.roll();
    return (this.current.get(network) ?? 0) + (this.previous.get(network) ?? 0);
  }

  private roll(): void {
    const now = Date.now();
    if (now < this.windowEndsAt) return;
    const length = this.windowMs();
    // The window that just ended becomes "the one before", unless a whole window passed in silence.
    this.previous = now < this.windowEndsAt + length ? this.current : new Map<string, number>();
    this.current = new Map<string, number>();
    this.windowEndsAt = now + length;
  }
}
