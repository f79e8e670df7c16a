/** The most a token's `metadata` may hold: 4 KB of UTF-8 JSON. */
export const MAX_METADATA_BYTES = 4096;

/** Why `value` is not a token's `metadata` (a JSON object of at most 4 KB), or `undefined`. */
export function metadataProblem(value: unknown, property = 'metadata'): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return `${property} must be a JSON object or null`;
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > MAX_METADATA_BYTES) {
    return `${property} must be at most ${MAX_METADATA_BYTES} bytes as JSON (it is ${bytes})`;
  }
  return undefined;
}
