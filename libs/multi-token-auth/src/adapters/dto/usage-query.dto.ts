import { USAGE_KEPT_DAYS } from '../../services/tokens/token-usage.counter';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The most days `GET /auth/api-keys/:id/usage` reports, and how many without `?days=`. */
export const USAGE_MAX_DAYS = USAGE_KEPT_DAYS;
export const USAGE_DEFAULT_DAYS = 30;

/** `?days=` on `GET /auth/api-keys/:id/usage`: today (UTC) and the days before it. */
export class UsageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(USAGE_MAX_DAYS)
  days?: number;
}
