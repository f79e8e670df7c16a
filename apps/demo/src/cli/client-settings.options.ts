import { CommandRunner, Option } from 'nest-commander';
import type { StoredClientDefinition } from 'nestjs-multi-token-auth';
import { parseDuration, parseLimit, parseRate, parseScopes } from './cli-input';

/** The raw values of the settings flags, as typed. */
export interface ClientSettingsFlags {
  ttl?: string;
  idleTimeout?: string;
  absoluteLifetime?: string;
  throttle?: string;
  maxTokens?: string;
  scopes?: string;
  defaultScopes?: string;
}

/** The flags `clients create` and `clients update` share: a client's stored settings. */
export abstract class ClientSettingsCommand extends CommandRunner {
  @Option({ flags: '--ttl <duration>', description: 'token lifetime: 30m, 12h, 14d, 2w… or never' })
  ttl(value: string): string {
    return value;
  }

  @Option({ flags: '--idle-timeout <duration>', description: 'sliding expiry: ends after this long unused, or never' })
  idleTimeout(value: string): string {
    return value;
  }

  @Option({ flags: '--absolute-lifetime <duration>', description: 'cap after sign-in, whatever the use, or never' })
  absoluteLifetime(value: string): string {
    return value;
  }

  @Option({ flags: '--throttle <rate>', description: 'rate limit per user: 100/m, 10/15m… or none' })
  throttle(value: string): string {
    return value;
  }

  @Option({ flags: '--max-tokens <n>', description: 'most unexpired tokens per user, or none' })
  maxTokens(value: string): string {
    return value;
  }

  @Option({ flags: '--scopes <list>', description: 'scopes its tokens may hold, comma-separated, or none' })
  scopes(value: string): string {
    return value;
  }

  @Option({ flags: '--default-scopes <list>', description: 'scopes a token gets when it asks for none, or none' })
  defaultScopes(value: string): string {
    return value;
  }

  /** The settings given, parsed; absent flags stay absent. */
  protected settings(flags: ClientSettingsFlags): Omit<StoredClientDefinition, 'name'> {
    const settings: Omit<StoredClientDefinition, 'name'> = {};
    if (flags.ttl !== undefined) settings.tokenTtl = parseDuration('--ttl', flags.ttl);
    if (flags.idleTimeout !== undefined) settings.idleTimeout = parseDuration('--idle-timeout', flags.idleTimeout);
    if (flags.absoluteLifetime !== undefined) {
      settings.absoluteLifetime = parseDuration('--absolute-lifetime', flags.absoluteLifetime);
    }
    if (flags.throttle !== undefined) settings.throttleRate = parseRate('--throttle', flags.throttle);
    if (flags.maxTokens !== undefined) settings.maxTokensPerUser = parseLimit('--max-tokens', flags.maxTokens);
    if (flags.scopes !== undefined) settings.scopes = parseScopes('--scopes', flags.scopes);
    if (flags.defaultScopes !== undefined)
      settings.defaultScopes = parseScopes('--default-scopes', flags.defaultScopes);
    return settings;
  }
}
