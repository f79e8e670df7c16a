import { hash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TooManyAttemptsException } from '../errors/attempt.exceptions';
import { InvalidCredentialsException } from '../errors/auth.exceptions';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { parseThrottleRate, type ThrottleRate } from '../throttling/throttle-rate.parser';
import { LoginAttemptStore } from './login-attempt-store.interface';

/**
 * Limits password guessing per username+IP and per IP (OWASP's advice): every attempt counts
 * before the password is checked, so concurrent guesses cannot slip past the limit; a correct
 * password clears its username+IP count and is not held against the IP; anything that is not a
 * verdict on the password (the store is down, the queue is full) is taken back.
 */
@Injectable()
export class LoginAttemptLimiter {
  private readonly perUserAndIp?: ThrottleRate;
  private readonly perIp?: ThrottleRate;

  constructor(
    @Inject(RESOLVED_OPTIONS) options: ResolvedOptions,
    @Inject(LoginAttemptStore) private readonly store: LoginAttemptStore,
  ) {
    const limits = options.loginAttempts;
    if (limits === false) return;
    this.perUserAndIp = limits.perUserAndIp === null ? undefined : parseThrottleRate(limits.perUserAndIp);
    this.perIp = limits.perIp === null ? undefined : parseThrottleRate(limits.perIp);
  }

  /** Runs `check` (a password check for `username` from `ip`) unless the limits are used up: 429 then. */
  async protect<T>(username: string, ip: string | null | undefined, check: () => Promise<T>): Promise<T> {
    const from = ip ?? '-';
    // Hashed: counters hold no usernames. Case-folded: "Alice" and "alice" share one count.
    const userKey = `user:${hash('sha256', username.normalize('NFKC').toLowerCase(), 'hex')}:${from}`;
    const counted = [
      ...(this.perUserAndIp ? [{ key: userKey, rate: this.perUserAndIp }] : []),
      ...(this.perIp ? [{ key: `ip:${from}`, rate: this.perIp }] : []),
    ];
    const counts = await Promise.all(counted.map(({ key, rate }) => this.store.hit(key, rate.ttlMs)));
    const over = counts.filter((count, i) => count.count > counted[i].rate.limit);
    if (over.length > 0) {
      throw new TooManyAttemptsException(Math.ceil(Math.max(...over.map((count) => count.resetInMs)) / 1000));
    }
    let result: T;
    try {
      result = await check();
    } catch (error) {
      if (!(error instanceof InvalidCredentialsException)) await this.undo(counted.map(({ key }) => key));
      throw error;
    }
    await Promise.all(counted.map(({ key }) => (key === userKey ? this.store.reset(key) : this.store.undo(key))));
    return result;
  }

  private async undo(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.store.undo(key)));
  }
}
