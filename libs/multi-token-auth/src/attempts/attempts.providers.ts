import type { Provider } from '@nestjs/common';
import { REDIS, type RedisLink } from '../cache/cache.providers';
import { Clock } from '../clock/clock.interface';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { PasswordCheckQueue } from '../passwords/password-check.queue';
import { LoginAttemptLimiter } from './login-attempt.limiter';
import { LoginAttemptStore } from './login-attempt-store.interface';
import { InMemoryLoginAttemptStore } from './memory-login-attempt.store';
import { RedisLoginAttemptStore } from './redis-login-attempt.store';

/** The attempt counters (Redis when configured, else memory), the limiter and the password-check queue. */
export const attemptProviders: Provider[] = [
  {
    provide: LoginAttemptStore,
    useFactory: (options: ResolvedOptions, redis: RedisLink | null, clock: Clock): LoginAttemptStore => {
      if (options.loginAttempts && options.loginAttempts.store) return options.loginAttempts.store;
      const memory = new InMemoryLoginAttemptStore(clock);
      return redis
        ? new RedisLoginAttemptStore(redis.connections.counters, memory, () => redis.bus.isHealthy())
        : memory;
    },
    inject: [RESOLVED_OPTIONS, REDIS, Clock],
  },
  {
    provide: PasswordCheckQueue,
    useFactory: (options: ResolvedOptions) =>
      options.passwordChecks ? new PasswordCheckQueue(options.passwordChecks) : null,
    inject: [RESOLVED_OPTIONS],
  },
  LoginAttemptLimiter,
];
