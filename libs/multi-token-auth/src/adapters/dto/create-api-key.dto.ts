import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsTokenName } from '../../pure/validation/is-token-name.decorator';
import { IsScopeList } from '../../pure/validation/is-scope-list.decorator';
import { IsTokenMetadata } from '../../pure/validation/is-token-metadata.decorator';
import { IsAllowList } from '../../pure/validation/is-allow-list.decorator';
import { IsRateLimit } from '../../pure/validation/is-rate-limit.decorator';
import { IsTokenQuota } from '../../pure/validation/is-token-quota.decorator';
import type { TokenQuota } from '../../contracts/token-quota';
import type { TokenMetadata } from '../../contracts/entities/metadata.transformer';

/** `POST /auth/api-keys` body. */
export class CreateApiKeyDto {
  /** Unique per user; 1–100 characters (code points) after trimming; no control or invisible characters. */
  @IsTokenName()
  name!: string;

  /**
   * Lifetime in whole **days** (1–3650); omitted = the API-key client's TTL (demo: never expires).
   * `null` is refused: "never" is what omitting it means on a client without a TTL.
   */
  @ValidateIf((_body, value) => value !== undefined)
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;

  /** The account's password: a key is a credential of its own, so making one needs the account's. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password?: string;

  /**
   * What the key may do, e.g. `["orders:read"]`: each scope must be allowed by the API-key client
   * (else 403 `scope_not_allowed`) and held by the session creating the key (else 403
   * `scope_not_held`). Omitted: the API-key client's `defaultScopes` (or all its scopes), narrowed
   * to what the creating session holds.
   */
  @ValidateIf((_body, value) => value !== undefined)
  @IsScopeList()
  scopes?: string[];

  /** The app's own JSON object (at most 4 KB as UTF-8 JSON), returned in lists and on `@CurrentToken()`. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsTokenMetadata()
  // The object as sent: class-transformer would drop keys named like Object.prototype's methods (`toString`).
  @Transform(({ obj }: { obj: { metadata?: unknown } }) => obj.metadata)
  metadata?: TokenMetadata | null;

  /**
   * The addresses and CIDR networks the key may be used from (`["203.0.113.0/24", "2001:db8::/32"]`,
   * at most 100); from any other, 403 `ip_not_allowed`. Omitted or `null`: anywhere.
   */
  @ValidateIf((_body, value) => value !== undefined)
  @IsAllowList()
  allowedIps?: string[] | null;

  /**
   * The key's own rate limit, `"N/unit"` like `"100/m"` or `"10/15m"`, counted on every request the
   * key makes (whatever the route); past it 429 `rate_limited` with `Retry-After`. Omitted or
   * `null`: none.
   */
  @ValidateIf((_body, value) => value !== undefined)
  @IsRateLimit()
  rateLimit?: string | null;

  /**
   * The key's quota: `limit` units in all, each request spending 1 (a `@TokenCost(n)` route n),
   * with `refill.amount` added back every `refill.every` (`"1d"`, `"12h"`, `"30m"`) up to `limit`;
   * none left, 429 `quota_exhausted`. Omitted or `null`: none.
   */
  @ValidateIf((_body, value) => value !== undefined)
  @IsTokenQuota()
  // The object as sent, checked field by field (no unknown fields) by the validator.
  @Transform(({ obj }: { obj: { quota?: unknown } }) => obj.quota)
  quota?: TokenQuota | null;
}
