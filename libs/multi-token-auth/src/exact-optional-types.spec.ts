import { dirname, join } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '../../..');
const APP = join(__dirname, '__exact-optional-app.ts');

/**
 * An app's code as the README writes it, with settings read from a config service that answers
 * `undefined` for an unset variable: "undefined means the default", so it must type-check.
 */
const APP_SOURCE = `
import { MultiTokenAuthModule, type MultiTokenAuthOptions, type SocketAuthenticator, type TokenService } from './index';

declare const config: { get<T>(key: string): T | undefined };
declare class User { id: number; email: string; isActive: boolean }

export const asyncModule = MultiTokenAuthModule.forRootAsync({
  useFactory: (): MultiTokenAuthOptions => ({
    user: {
      entity: User,
      isActive: (user: User) => user.isActive,
      usernameField: config.get<string>('USERNAME_FIELD'),
      normalizeUsername: undefined,
    },
    tokenPrefix: config.get<string>('TOKEN_PREFIX'),
    defaultTokenTtl: config.get<number>('TOKEN_TTL'),
    defaultThrottleRate: config.get<string>('RATE'),
    clients: [{ name: 'web', tokenTtl: config.get<number>('WEB_TTL'), throttleRate: config.get<string>('WEB_RATE') }],
    cache: { ttl: config.get<number>('CACHE_TTL'), store: undefined },
    loginAttempts: { perIp: config.get<string>('PER_IP') },
    passwordChecks: { concurrency: config.get<number>('HASHES') },
    cookies: { secure: config.get<boolean>('SECURE_COOKIES') },
    purge: { cron: config.get<string>('PURGE_CRON') },
    redis: { url: config.get<string>('REDIS_URL') },
    clock: undefined,
    routeCheck: { guards: undefined },
  }),
  routePrefix: config.get<string>('ROUTE_PREFIX'),
  globalGuard: config.get<boolean>('GLOBAL_GUARD'),
});

export const module = MultiTokenAuthModule.forRoot({
  user: { entity: User },
  tokenPrefix: config.get<string>('TOKEN_PREFIX'),
  isGlobal: config.get<boolean>('GLOBAL'),
});

export async function customLogin(tokens: TokenService, user: User, body: { name?: string; scopes?: string[] }, ip?: string) {
  await tokens.issue(user, { client: 'web', name: body.name, scopes: body.scopes, ip, userAgent: undefined });
  await tokens.revokeAll(user.id, { exceptTokenId: body.name, keepApiKeys: undefined });
  await tokens.list(user.id, { limit: undefined, after: undefined });
  await tokens.purgeExpired({ olderThan: config.get<number>('RETENTION') });
}

export function sockets(authenticator: SocketAuthenticator) {
  return authenticator.socketIo({ optional: config.get<boolean>('ANONYMOUS_SOCKETS') });
}

// The control: a type of the app's own that does not take undefined is still refused (TS2375).
export const probe: { label?: string } = { label: config.get<string>('LABEL') };
`;

/** Type-checks APP_SOURCE against the library's sources with the repository's settings plus `overrides`. */
function diagnose(overrides: ts.CompilerOptions): string[] {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  const options = { ...parsed.options, ...overrides, noEmit: true, skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => (path === APP ? APP_SOURCE : readFile(path));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (path) => path === APP || fileExists(path);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (path, language) =>
    path === APP ? ts.createSourceFile(path, APP_SOURCE, language) : getSourceFile(path, language);
  const program = ts.createProgram([APP], options, host);
  // Only the app's file: the library itself is compiled with its own settings and published as .d.ts.
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(APP))
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('exactOptionalPropertyTypes', () => {
  it("compiles the README's patterns (undefined from a config service means the default); only the control fails", () => {
    expect(dirname(APP)).toBe(__dirname);
    const errors = diagnose({ exactOptionalPropertyTypes: true, strict: true });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^TS2375: .*exactOptionalPropertyTypes/);
  }, 60_000);
});
