/** Most characters (Unicode code points, as PostgreSQL's `varchar(100)` counts them) in a token name. */
export const TOKEN_NAME_MAX_LENGTH = 100;

/**
 * Characters a name may not contain: controls (NUL included), format characters (the bidi
 * overrides, isolates and marks, zero-width spaces: "Trojan Source" names that render as something
 * they are not in a session list), line and paragraph separators, and every default-ignorable code
 * point (soft hyphens, fillers, tags…).
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * The invisible characters emoji are made of, allowed where an emoji needs them: a zero-width joiner
 * between two pictographs (👩‍💻), and the emoji-style selector after one (❤️), skin tones included.
 */
const EMOJI_GLUE =
  /(?<=\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}]?\uFE0F?)\u200D(?=\p{Extended_Pictographic})|(?<=\p{Extended_Pictographic})\uFE0F/gu;

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
  if (FORBIDDEN.test(name.replace(EMOJI_GLUE, '')))
    return 'name must not contain control, invisible or bidirectional-formatting characters';
  return undefined;
}
