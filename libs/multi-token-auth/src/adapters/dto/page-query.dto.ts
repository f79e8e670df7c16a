import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Most items one page of sessions or API keys holds, and how many it holds without `?limit=`. */
export const PAGE_MAX_LIMIT = 100;
export const PAGE_DEFAULT_LIMIT = 50;

/** `?limit=&cursor=` on `GET /auth/sessions` and `GET /auth/api-keys`. */
export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_MAX_LIMIT)
  limit?: number;

  /** Opaque: copied from the previous page's `Link: <…>; rel="next"` header. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,80}$/, { message: 'cursor must be the value from a Link header' })
  cursor?: string;
}
