import { hash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  PasswordCheckOutrankedException,
  TooManyAttemptsException,
  TooManyPasswordChecksException,
} from '../../contracts/errors/attempt.exceptions';
import { InvalidCredentialsException } from '../../contracts/errors/auth.exceptions';
import { parseThrottleRate, type ThrottleRate } from '../../pure/options/throttle-rate.parser';
import { clientAddress, NOT_AN_ADDRESS } from '../../pure/http/client-address';
import { LoginAttemptStore } from '../../contracts/login-attempt-store.interface';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/**
 * Limits password guessing per username+IP and per IP (OWASP's advice): every attempt counts
 * before the password is checked, so concurrent guesses cannot slip past the limit; a correct
 * password clears its username+IP count and is not held against the IP. A refusal by the
 * password-check queue that the address brought on itself counts against the IP only (see
 * {@link keeps}); any other failure (a refusal caused by others, the store down) is taken back.
 * Addresses are counted by `clientAddress()` (IPv4, or an IPv6 /64, every spelling of one address alike).
 */
@Injectable()
export class LoginAttemptLimiter {
  private readonly logger = new Logger('MultiTokenAuth');
  private warnedNotAnAddress = false;
  private readonly perUserAndIp?: ThrottleRate;
  private readonly perIp?: ThrottleRate;
  private readonly normalize: (username: string) => string;

  constructor(
    @InjectMultiTokenAuthOptions() options: ResolvedOptions,
    @Inject(LoginAttemptStore) private readonly store: LoginAttemptStore,
  ) {
    this.normalize = (username) => options.user.normalizeUsername(username);
    const limits = options.loginAttempts;
    if (limits === false) return;
    this.perUserAndIp = limits.perUserAndIp === null ? undefined : parseThrottleRate(limits.perUserAndIp);
    this.perIp = limits.perIp === null ? undefined : parseThrottleRate(limits.perIp);
  }

  /** Runs `check` (a password check for `username` from `ip`) unless the limits are used up: 429 then. */
  async protect<T>(username: string, ip: string | null | undefined, check: () => Promise<T>): Promise<T> {
    const from = clientAddress(ip);
    if (from.startsWith(NOT_AN_ADDRESS) && !this.warnedNotAnAddress) this.warnNotAnAddress();
    const counted: string[] = [];
    // The address first: past its limit, no per-username counter is even created, so a flood of
    // usernames from one address cannot grow the store (or push its own counters out of it).
    if (this.perIp) await this.count(`ip:${from}`, this.perIp, counted);
    if (this.perUserAndIp) await this.count(this.userKey(username, from), this.perUserAndIp, counted);
    let result: T;
    try {
      result = await check();
    } catch (error) {
      await this.undo(counted.filter((key) => !keeps(error, key)));
      throw error;
    }
    await Promise.all(counted.map((key) => (key.startsWith('user:') ? this.store.reset(key) : this.store.undo(key))));
    return result;
  }

  /** Counts one attempt on `key`; 429 when it is past `rate` (then nothing else is counted). */
  private async count(key: string, rate: ThrottleRate, counted: string[]): Promise<void> {
    const { count, resetInMs } = await this.store.hit(key, rate.ttlMs);
    if (count > rate.limit) throw new TooManyAttemptsException(Math.ceil(resetInMs / 1000));
    counted.push(key);
  }

  /** Hashed: counters hold no usernames. Normalised as the lookup does, then case-folded. */
  private userKey(username: string, from: string): string {
    const name = this.normalize(username).normalize('NFKC').toLowerCase();
    return `user:${hash('sha256', name, 'hex')}:${from}`;
  }

  private async undo(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.store.undo(key)));
  }

  /** Once per process: the value is attacker-controlled when `trust proxy` is wrong, so it is not logged. */
  private warnNotAnAddress(): void {
    this.warnedNotAnAddress = true;
    this.logger.warn(
      'A login came from a client address that is not an IP address; attempt limits count each such value ' +
        'as a client of its own. Behind a proxy, set `trust proxy` to the number of proxies in front and ' +
        'make the last one write the client IP in X-Forwarded-For.',
    );
  }
}

/**
 * Whether the attempt counted on `key` stays counted after its check failed with `error`. A wrong
 * password: on every key. A refusal by the password-check queue that the address brought on itself
 * (past its own share, 429; or outranked by networks asking for less, 503): on the address's key
 * only. Taking such refusals back made a full queue a free pass (from 100 addresses, 95 % of a
 * flood was refused and never counted, so no address reached its limit); counting them per
 * username+address made a person refused because of others lock themselves out (ten retries, 15
 * minutes of 429). A refusal caused by others (a crowd of newcomers, `maxWait` passed): nowhere.
 */
function keeps(error: unknown, key: string): boolean {
  if (error instanceof InvalidCredentialsException) return true;
  const ownDoing = error instanceof TooManyPasswordChecksException || error instanceof PasswordCheckOutrankedException;
  return ownDoing && key.startsWith('ip:');
}
