import {
  DRF_TOKEN_FORMAT,
  type Clock,
  type MultiTokenAuthOptions,
  type ScryptPasswordHasher,
} from 'nestjs-multi-token-auth';
import type { DemoConfig } from './config/demo.config';
import { normalizeUsername, User } from './users/user.entity';

/** The library's options for the demo (the web app's and the CLI's, so both see the same clients). */
export function demoAuthOptions(
  config: DemoConfig,
  hasher: ScryptPasswordHasher,
  clock?: Clock,
): MultiTokenAuthOptions {
  const has = (name: string) => config.clients.some((client) => client.name === name);
  return {
    // Usernames are compared case-insensitively: stored NFKC + lower case, and looked up the same way.
    user: { entity: User, normalizeUsername },
    clients: config.clients,
    // API keys live on the `api` client when AUTH_CLIENTS has one; without it the key routes answer 404.
    apiKeyClient: has('api') ? 'api' : null,
    // Tokens imported from a Django REST framework app (`npm run cli -- tokens import`) keep working,
    // sent as DRF's clients send them (`Authorization: Token <key>`) or as Bearer.
    legacyTokens: has('legacy') ? { format: DRF_TOKEN_FORMAT, client: 'legacy', scheme: 'Token' } : null,
    defaultThrottleRate: config.defaultThrottleRate,
    tokenLimitPolicy: config.tokenLimitPolicy,
    passwordHasher: hasher,
    clock,
    // Several instances share revocations through Redis (one instance needs none).
    redis: config.redisUrl ? { url: config.redisUrl } : undefined,
    // How long a request waits on the database before answering 503 (DATABASE_TIMEOUT, seconds).
    databaseTimeout: config.databaseTimeout,
    // GitHub's secret scanning reports the demo's tokens found in public (POST /auth/leaked-tokens):
    // needs the app created with rawBody: true (demo.app.ts), as GitHub signs the bytes it sends.
    secretScanning: config.secretScanningKeysUrl ? { publicKeysUrl: config.secretScanningKeysUrl } : null,
    credentialRevocation: { perIp: config.credentialRevocationRate },
  };
}
