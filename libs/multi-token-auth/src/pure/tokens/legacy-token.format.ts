import type { LegacyTokenFormat } from '../../contracts/multi-token-auth.options';

/** The shape of Django REST framework's authtoken keys (and its many copies): 40 lower-case hex characters. */
export const DRF_TOKEN_FORMAT: LegacyTokenFormat = { alphabet: /[0-9a-f]/, length: 40 };

/** Shortest and longest legacy token a format may describe. */
export const LEGACY_LENGTH_RANGE = [16, 128] as const;

/** The format as one anchored pattern: a character class with a bounded count, which runs in linear time. */
export function legacyPattern(format: LegacyTokenFormat): RegExp {
  const [min, max] = typeof format.length === 'number' ? [format.length, format.length] : format.length;
  return new RegExp(`^${format.alphabet.source}{${min},${max}}$`, format.alphabet.flags);
}

/** Why a format cannot be used, or `undefined`. */
export function legacyFormatProblem(format: unknown): string | undefined {
  const { alphabet, length } = (format ?? {}) as Partial<LegacyTokenFormat>;
  if (!(alphabet instanceof RegExp) || !/^\[(?:\\.|[^\\\]])+\]$/.test(alphabet.source)) {
    return 'alphabet must be one character class such as /[0-9a-f]/';
  }
  if (!/^i?u?$/.test(alphabet.flags)) return 'alphabet may only have the i and u flags';
  if (matchesOutsideToken68(alphabet)) {
    return 'alphabet must not match whitespace, control characters, commas, quotes or anything else outside token68 (A-Z a-z 0-9 - . _ ~ + /): the Authorization header refuses every other character';
  }
  const [min, max] = typeof length === 'number' ? [length, length] : Array.isArray(length) ? length : [NaN, NaN];
  const [low, high] = LEGACY_LENGTH_RANGE;
  const whole = (n: number) => Number.isInteger(n) && n >= low && n <= high;
  if (!whole(min) || !whole(max) || min > max) {
    return `length must be a whole number or [min, max] within ${low}-${high}`;
  }
  return undefined;
}

/** The characters of RFC 9110's `token68` that may appear anywhere in it (`=` is only trailing padding). */
const TOKEN68_CHARACTER = /[A-Za-z0-9._~+/-]/g;

let outsideToken68: string | undefined;

/**
 * Every UTF-16 code unit outside token68, then one astral character (for `u` classes), as one
 * string that the class is tested against once. Low surrogates come before high ones, so no two
 * neighbours form a pair and each lone surrogate is tried on its own.
 */
function charactersOutsideToken68(): string {
  if (outsideToken68 === undefined) {
    const units = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i)).join('');
    const bmp = [units(0, 0xd7ff), units(0xdc00, 0xdfff), units(0xd800, 0xdbff), units(0xe000, 0xffff)];
    outsideToken68 = bmp.join('').replace(TOKEN68_CHARACTER, '') + '\u{1F600}';
  }
  return outsideToken68;
}

/** Whether the class matches any character the header parser would refuse in a credential. */
function matchesOutsideToken68(alphabet: RegExp): boolean {
  return alphabet.test(charactersOutsideToken68());
}
