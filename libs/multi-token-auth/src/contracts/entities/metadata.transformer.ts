import type { ValueTransformer } from 'typeorm';

/** A token's `metadata`: the app's own JSON object, as text (`NULL`: none). */
export type TokenMetadata = Record<string, unknown>;

/** `metadata` in one text column, as JSON. `NULL` means none; the library never reads inside it. */
export const metadataTransformer: ValueTransformer = {
  to: (value: TokenMetadata | null | undefined): string | null =>
    value === null || value === undefined ? null : JSON.stringify(value),
  from: (value: string | null | undefined): TokenMetadata | null =>
    value === null || value === undefined ? null : (JSON.parse(value) as TokenMetadata),
};
