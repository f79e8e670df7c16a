import { GITHUB_SECRET_SCANNING_KEYS_URL, type ClientDefinition, type TokenLimitPolicy } from 'nestjs-multi-token-auth';

export type DemoDatabase = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

/** The demo's settings, read once from the environment. */
export interface DemoConfig {
  port: number;
  host: string;
  /** A better-sqlite3 file (or `:memory:`), or a PostgreSQL URL. */
  database: DemoDatabase;
  clients: ClientDefinition[];
  defaultThrottleRate: string | null;
  tokenLimitPolicy: TokenLimitPolicy;
  /** `redis://…`: share revocations with other instances; `null` = one instance. */
  redisUrl: string | null;
  /** Proxies in front whose `X-Forwarded-For` is trusted for the client IP (Express `trust proxy`); 0 = none. */
  trustProxy: number;
  /** Seconds a request waits on the database before a 503 (`databaseTimeout`); `undefined` = the library's 5. */
  databaseTimeout?: number | undefined;
  /** Where the keys of GitHub's secret-scanning reports come from; `null`: `POST /auth/leaked-tokens` is off. */
  secretScanningKeysUrl: string | null;
  /** Bulk revocations (`POST /auth/credentials/revoke`) per address, `"60/h"` by default. */
  credentialRevocationRate: string;
}

export const DEFAULT_CLIENTS: ClientDefinition[] = [
  { name: 'web', tokenTtl: 86_400 },
  { name: 'mobile', tokenTtl: 30 * 86_400 },
  // A CLI signs in able to read orders; it may ask for orders:write at login.
  { name: 'cli', tokenTtl: 7 * 86_400, scopes: ['orders:read', 'orders:write'], defaultScopes: ['orders:read'] },
  // API keys: both order scopes unless created with fewer (`scopes` in the creation body); a key
  // for another service that introspects tokens (POST /auth/introspect) asks for auth:introspect.
  {
    name: 'api',
    tokenTtl: null,
    scopes: ['orders:read', 'orders:write', 'auth:introspect'],
    defaultScopes: ['orders:read', 'orders:write'],
  },
  { name: 'kiosk', tokenTtl: 86_400, maxTokensPerUser: 1 },
  // A browser: the token in an HttpOnly cookie, 30 minutes idle or 12 hours in all end the session.
  { name: 'browser', cookie: true, idleTimeout: 1800, absoluteLifetime: 43_200 },
  // Tokens imported from a Django REST framework app (40 hex characters), which never expired there.
  { name: 'legacy', tokenTtl: null },
];

function parseDatabaseUrl(url: string): DemoDatabase {
  if (url === 'sqlite::memory:') return { type: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite:') && url.length > 'sqlite:'.length) return { type: 'sqlite', path: url.slice(7) };
  if (/^postgres(ql)?:\/\//.test(url)) return { type: 'postgres', url };
  throw new Error('DATABASE_URL must be sqlite:<path>, sqlite::memory: or postgres://user@host:port/database.');
}

function parseClients(json: string): ClientDefinition[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('AUTH_CLIENTS must be a JSON array such as [{"name":"web","tokenTtl":86400}].');
  }
  if (!Array.isArray(parsed) || parsed.some((entry) => typeof entry !== 'object' || entry === null)) {
    throw new Error(
      'AUTH_CLIENTS must be a JSON array of objects {name, tokenTtl, maxTokensPerUser?, throttleRate?, idleTimeout?, absoluteLifetime?, cookie?, scopes?, defaultScopes?, rotateOnRefresh?, rotationGrace?}.',
    );
  }
  // Each entry's values are checked by the library at start-up, with a message naming the client.
  return parsed as ClientDefinition[];
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be 0-65535, got "${text}".`);
  return port;
}

function parsePolicy(text: string): TokenLimitPolicy {
  if (text !== 'revoke-oldest' && text !== 'reject') {
    throw new Error(`TOKEN_LIMIT_POLICY must be revoke-oldest or reject, got "${text}".`);
  }
  return text;
}

function parseTrustProxy(text: string): number {
  const hops = Number(text);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10)
    throw new Error(`TRUST_PROXY must be 0-10 (proxies in front), got "${text}".`);
  return hops;
}

function parseDatabaseTimeout(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const seconds = Number(text);
  // The range (0.01 to 600) is the library's to check, at start-up, with its own message.
  if (!Number.isFinite(seconds)) throw new Error(`DATABASE_TIMEOUT must be a number of seconds, got "${text}".`);
  return seconds;
}

function parseRedisUrl(url: string | undefined): string | null {
  if (!url) return null;
  if (!/^rediss?:\/\//.test(url)) throw new Error('REDIS_URL must be redis://host:port (or rediss:// for TLS).');
  return url;
}

/**
 * Reads `PORT`, `HOST`, `DATABASE_URL`, `AUTH_CLIENTS`, `DEFAULT_THROTTLE_RATE`, `TOKEN_LIMIT_POLICY`,
 * `REDIS_URL`, `TRUST_PROXY`, `DATABASE_TIMEOUT`, `SECRET_SCANNING_KEYS_URL`, `CREDENTIAL_REVOCATION_RATE`.
 */
export function loadDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  return {
    port: parsePort(env.PORT ?? '3000'),
    host: env.HOST ?? '127.0.0.1',
    database: parseDatabaseUrl(env.DATABASE_URL ?? 'sqlite:data/demo.sqlite'),
    clients: env.AUTH_CLIENTS ? parseClients(env.AUTH_CLIENTS) : DEFAULT_CLIENTS,
    defaultThrottleRate: env.DEFAULT_THROTTLE_RATE === undefined ? '100/m' : env.DEFAULT_THROTTLE_RATE || null,
    tokenLimitPolicy: parsePolicy(env.TOKEN_LIMIT_POLICY ?? 'revoke-oldest'),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    trustProxy: parseTrustProxy(env.TRUST_PROXY ?? '0'),
    databaseTimeout: parseDatabaseTimeout(env.DATABASE_TIMEOUT),
    // GitHub's list by default; empty turns the receiver off. (The library checks the URL at start-up.)
    secretScanningKeysUrl:
      env.SECRET_SCANNING_KEYS_URL === undefined
        ? GITHUB_SECRET_SCANNING_KEYS_URL
        : env.SECRET_SCANNING_KEYS_URL || null,
    credentialRevocationRate: env.CREDENTIAL_REVOCATION_RATE || '60/h',
  };
}
