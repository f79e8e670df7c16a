import { Logger } from '@nestjs/common';
import { boundedText } from '../../pure/http/bounded-text';
import type { ResolvedResourceServer } from '../../pure/options/resource-server.checks';

/** Largest answer taken from the owner (an introspection is a few hundred bytes, a feed page < 100 KB). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The owner could not answer (down, hung past the timeout, a 5xx, an answer that is not what the
 * route gives, or it refused this service's API key): nothing can be verified, a 503 on this side.
 */
export class OwnerUnavailableError extends Error {
  override readonly name = 'OwnerUnavailableError';
}

/** An introspection's answer for an active token: RFC 7662 §2.2's members and the owner's two extensions. */
export interface ActiveToken {
  active: true;
  sub: string;
  client_id: string;
  jti: string;
  scope?: string;
  /** Extension: the token's own scope list (absent: unrestricted), for scopes granted by name. */
  own_scope?: string;
  username?: string;
  exp?: number;
  iat?: number;
  /** The key's own rate limit (`"N/unit"`), when it has one. */
  rate_limit?: string;
  /** The addresses the key may be used from, when it has a list. */
  allowed_ips?: string[];
}

/**
 * HTTP to the app that owns the tokens, authenticated by this service's API key: RFC 7662
 * introspection, and the revocation feed's JSON. Node's `fetch` (undici: kept-alive connections),
 * a timeout on every call, no redirects, answers read with a bound.
 */
export class OwnerClient {
  private readonly logger = new Logger('MultiTokenAuth');
  private readonly authorization: string;
  private lastRefusalLog = -Infinity;

  constructor(private readonly settings: ResolvedResourceServer) {
    this.authorization = `Bearer ${settings.apiKey}`;
  }

  /** The owner's answer about `token`: its fields when active, `null` when not; throws `OwnerUnavailableError`. */
  async introspect(token: string): Promise<ActiveToken | null> {
    const answer = await this.call(this.settings.introspectionUrl, this.settings.timeoutMs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token)}&token_type_hint=access_token`,
    });
    if (!isAnswer(answer)) throw new OwnerUnavailableError('the introspection answer is not RFC 7662');
    return answer.active === true ? answer : null;
  }

  /** `GET` of a feed URL's JSON, with a timeout of `timeoutMs`; throws `OwnerUnavailableError`. */
  read(url: string, timeoutMs: number): Promise<unknown> {
    return this.call(url, timeoutMs, { method: 'GET' });
  }

  private async call(url: string, timeoutMs: number, init: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        headers: { ...init.headers, accept: 'application/json', authorization: this.authorization },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new OwnerUnavailableError(`${url}: ${(error as Error).message}`);
    }
    if (res.status === 401 || res.status === 403) {
      this.logRefusal(url, res.status);
      await res.body?.cancel();
      throw new OwnerUnavailableError(`${url} refused this service's API key (${res.status})`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new OwnerUnavailableError(`${url} answered ${res.status}`);
    }
    try {
      return JSON.parse(await boundedText(res, MAX_ANSWER_BYTES)) as unknown;
    } catch (error) {
      throw new OwnerUnavailableError(`${url}: ${(error as Error).message}`);
    }
  }

  /** A refused key is a misconfiguration (or a revoked key): said loudly, at most once a minute. */
  private logRefusal(url: string, status: number): void {
    const now = performance.now();
    if (now - this.lastRefusalLog < 60_000) return;
    this.lastRefusalLog = now;
    this.logger.error(
      `${url} answered ${status} to this resource server's API key: no token can be verified until ` +
        'introspection.apiKey is an unexpired key of the owner whose scopes name auth:introspect.',
    );
  }
}

function isAnswer(value: unknown): value is { active: false } | ActiveToken {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as Record<string, unknown>;
  if (answer.active === false) return true;
  return (
    answer.active === true &&
    typeof answer.sub === 'string' &&
    typeof answer.client_id === 'string' &&
    typeof answer.jti === 'string' &&
    (answer.exp === undefined || (Number.isSafeInteger(answer.exp) && (answer.exp as number) > 0)) &&
    (answer.iat === undefined || Number.isSafeInteger(answer.iat)) &&
    (answer.scope === undefined || typeof answer.scope === 'string') &&
    (answer.own_scope === undefined || typeof answer.own_scope === 'string')
  );
}
