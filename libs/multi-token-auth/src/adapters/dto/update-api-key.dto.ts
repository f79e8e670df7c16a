import { Transform } from 'class-transformer';
import { IsBoolean, ValidateIf } from 'class-validator';
import type { TokenMetadata } from '../../contracts/entities/metadata.transformer';
import { IsTokenMetadata } from '../../pure/validation/is-token-metadata.decorator';
import { IsTokenName } from '../../pure/validation/is-token-name.decorator';
import { IsAllowList } from '../../pure/validation/is-allow-list.decorator';
import { IsRateLimit } from '../../pure/validation/is-rate-limit.decorator';
import { IsTokenQuota } from '../../pure/validation/is-token-quota.decorator';
import type { TokenQuota } from '../../contracts/token-quota';

/**
 * `PATCH /auth/api-keys/:id` body: each field given is changed, the others stay. Not the secret
 * (make a new key), its scopes or its expiry: a field not listed here is refused with
 * 400 `validation_failed`.
 */
export class UpdateApiKeyDto {
  /** A new name, unique per user, as on create. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsTokenName()
  name?: string;

  /** `false` pauses the key (401 `key_disabled` on every instance) until it is `true` again. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsBoolean()
  enabled?: boolean;

  /** The app's JSON object (at most 4 KB), replacing the old one; `null` removes it. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsTokenMetadata()
  // The object as sent: class-transformer would drop keys named like Object.prototype's methods (`toString`).
  @Transform(({ obj }: { obj: { metadata?: unknown } }) => obj.metadata)
  metadata?: TokenMetadata | null;

  /** A new allow-list (addresses and CIDR networks), replacing the old one; `null`: anywhere. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsAllowList()
  allowedIps?: string[] | null;

  /** A new rate limit (`"100/m"`), replacing the old one; `null`: none. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsRateLimit()
  rateLimit?: string | null;

  /** A new quota, full from now (what was spent of the old one is forgotten); `null`: none. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsTokenQuota()
  // The object as sent, checked field by field (no unknown fields) by the validator.
  @Transform(({ obj }: { obj: { quota?: unknown } }) => obj.quota)
  quota?: TokenQuota | null;
}
