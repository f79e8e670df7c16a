import type { ValueTransformer } from 'typeorm';
import type { TokenQuota } from '../token-quota';

/** A token's `quota` rule in one text column, as JSON (`NULL`: none). */
export const quotaTransformer: ValueTransformer = {
  to: (value: TokenQuota | null | undefined): string | null =>
    value === null || value === undefined ? null : JSON.stringify(value),
  from: (value: string | null | undefined): TokenQuota | null =>
    value === null || value === undefined ? null : (JSON.parse(value) as TokenQuota),
};

/** A counter kept as `bigint` (PostgreSQL hands it back as text), read as a number. */
export const countTransformer: ValueTransformer = {
  to: (value: number | null | undefined): number | null => value ?? null,
  from: (value: string | number | null | undefined): number | null =>
    value === null || value === undefined ? null : Number(value),
};
