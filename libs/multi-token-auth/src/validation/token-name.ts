/** Most characters (Unicode code points, as PostgreSQL's `varchar(100)` counts them) in a token name. */
export const TOKEN_NAME_MAX_LENGTH = 100;

/**
 * Characters a name may not contain: C0/C1 controls (NUL included), zero-width characters and the
 * bidirectional overrides and isolates, which make a name render as something other than it is
 * ("Trojan Source") in a session list.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** Length in code points, so one emoji counts as one character everywhere (validation, store). */
export function nameLength(name: string): number {
  let count = 0;
  for (const _ of name) count++;
  return count;
}

/** Why `name` (already trimmed) is not a valid token name, or `undefined` when it is. */
export function tokenNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'name must not be empty';
  if (nameLength(name) > TOKEN_NAME_MAX_LENGTH) return `name must be at most ${TOKEN_NAME_MAX_LENGTH} characters`;
  if (FORBIDDEN.test(name)) return 'name must not contain control, zero-width or bidirectional-override characters';
  return undefined;
}
