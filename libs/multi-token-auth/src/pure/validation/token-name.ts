/** Most characters (Unicode code points, as PostgreSQL's `varchar(100)` counts them) in a token name. */
export const TOKEN_NAME_MAX_LENGTH = 100;

/**
 * Most combining marks in a row (`\p{M}`: accents, vowel signs, subjoined letters, enclosing
 * keycaps). Why 6: real text needs far fewer — Vietnamese stacks 2 ("ễ" decomposed), Thai and
 * Devanagari 2, Arabic with full vowelling 2, Tibetan stacks 3–4 ("ཧྨྱཱཾ"), fully pointed
 * Hebrew with cantillation up to 5 (dagesh, shin dot, vowel, accent, meteg) — and UTS #39
 * (§5.4) suggests 4 for identifiers. Unicode's Stream-Safe Text Format allows 30, but that is a
 * buffer bound for normalizers, not a display rule: each mark above a letter is drawn higher than
 * the last, and 37 of them reach lines above into the rest of the page ("Zalgo" text). Six keeps
 * every script above with a margin, and draws at most about two lines high.
 */
export const TOKEN_NAME_MAX_COMBINING_MARKS = 6;

/**
 * Characters a name may not contain: controls (NUL included), format characters (the bidi
 * overrides, isolates and marks, zero-width spaces: "Trojan Source" names that render as something
 * they are not in a session list), line and paragraph separators, and every default-ignorable code
 * point (soft hyphens, fillers, tags…).
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * The subdivision flags of Unicode's recommended emoji (RGI_Emoji_Tag_Sequence in emoji-sequences.txt,
 * unchanged since Emoji 5.0): only these draw as a flag. Any other tag run after 🏴 draws as the
 * black flag alone: a wider rule (any region and 1–4 letters, as before) let each 🏴 carry 6
 * letters of hidden text, 72 in a 100-character name, that a session list shows as 12 black flags.
 */
const RGI_SUBDIVISIONS = ['gbeng', 'gbsct', 'gbwls'];

/** `gbsct` as tag characters (U+E0020 + each ASCII code), as the regular expression must match them. */
const asTags = (code: string): string =>
  [...code].map((char) => `\\u{${(0xe0000 + char.charCodeAt(0)).toString(16).toUpperCase()}}`).join('');

/**
 * The invisible characters emoji are made of, allowed where an emoji needs them: a zero-width joiner
 * between two pictographs (👩‍💻), the emoji-style selector after one (❤️), skin tones included, the
 * selector of a keycap (1️⃣), and the tags of the three subdivision flags Unicode recommends
 * (RGI): England, Scotland and Wales (🏴󠁧󠁢󠁳󠁣󠁴󠁿), nowhere else.
 */
const EMOJI_GLUE = new RegExp(
  [
    /(?<=\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}]?\uFE0F?)\u200D(?=\p{Extended_Pictographic})/u.source,
    /(?<=\p{Extended_Pictographic})\uFE0F/u.source,
    /(?<=[0-9#*])\uFE0F(?=\u20E3)/u.source,
    `(?<=\\u{1F3F4})(?:${RGI_SUBDIVISIONS.map(asTags).join('|')})\\u{E007F}`,
  ].join('|'),
  'gu',
);

/** Half of a surrogate pair without its other half: not a character, and not storable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A run of more combining marks than `TOKEN_NAME_MAX_COMBINING_MARKS`; bounded, so linear in the name. */
const TOO_MANY_MARKS = new RegExp(`\\p{M}{${TOKEN_NAME_MAX_COMBINING_MARKS + 1}}`, 'u');

/** Length in code points, so one emoji counts as one character everywhere (validation, store). */
export function nameLength(name: string): number {
  let count = 0;
  for (const _ of name) count++;
  return count;
}

/** Why `name` (already trimmed) is not a valid token name, or `undefined` when it is. */
export function tokenNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'name must not be empty';
  // Before anything counts characters: JSON's "\ud800" escape reaches here as half a character,
  // which a UTF-8 column would store as U+FFFD or refuse.
  if (LONE_SURROGATE.test(name)) return 'name must be well-formed Unicode (no lone surrogate halves)';
  if (nameLength(name) > TOKEN_NAME_MAX_LENGTH) return `name must be at most ${TOKEN_NAME_MAX_LENGTH} characters`;
  if (FORBIDDEN.test(name.replace(EMOJI_GLUE, '')))
    return 'name must not contain control, invisible or bidirectional-formatting characters';
  // A leading mark has no letter of its own: it draws over whatever the page shows before the name.
  if (/^\p{M}/u.test(name)) return 'name must not start with a combining mark';
  if (TOO_MANY_MARKS.test(name)) {
    return `name must not stack more than ${TOKEN_NAME_MAX_COMBINING_MARKS} combining marks on one character`;
  }
  return undefined;
}
