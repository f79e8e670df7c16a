import type { ValueTransformer } from 'typeorm';

/**
 * A list of scopes in one text column, space-separated as in OAuth (`"orders:read orders:write"`).
 * `NULL` means "no list" (no restriction of its own); an empty string is the empty list. Also a
 * token's `allowedIps` (addresses and CIDR networks hold no spaces either).
 */
export const scopesTransformer: ValueTransformer = {
  to: (value: readonly string[] | null | undefined): string | null =>
    value === null || value === undefined ? null : value.join(' '),
  from: (value: string | null | undefined): string[] | null =>
    value === null || value === undefined ? null : value === '' ? [] : value.split(' '),
};
