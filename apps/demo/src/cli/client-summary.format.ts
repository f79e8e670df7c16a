import type { ClientSummary } from 'nestjs-multi-token-auth';

function duration(seconds: number | null): string {
  if (seconds === null) return 'never';
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** A client as `clients list` and the other commands print it. */
export function clientRow(client: ClientSummary): Record<string, string> {
  return {
    name: client.name,
    ttl: duration(client.tokenTtl),
    'idle timeout': client.idleTimeout === null ? '-' : duration(client.idleTimeout),
    'absolute lifetime': client.absoluteLifetime === null ? '-' : duration(client.absoluteLifetime),
    throttle: client.throttleRate ?? '-',
    'max tokens': client.maxTokensPerUser === null ? '-' : String(client.maxTokensPerUser),
    scopes: client.scopes?.join(',') ?? '-',
    'default scopes': client.defaultScopes?.join(',') ?? '-',
    tokens: String(client.activeTokens),
    'set by': client.source,
  };
}
