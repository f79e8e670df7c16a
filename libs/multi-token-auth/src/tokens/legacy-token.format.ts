import type { LegacyTokenFormat } from '../multi-token-auth.options';

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
  if ([' ', '\t', '\n', '\r', '\0', ',', '"'].some((char) => alphabet.test(char))) {
    return 'alphabet must not match whitespace, control characters, commas or quotes';
  }
  const [min, max] = typeof length === 'number' ? [length, length] : Array.isArray(length) ? length : [NaN, NaN];
  const [low, high] = LEGACY_LENGTH_RANGE;
  const whole = (n: number) => Number.isInteger(n) && n >= low && n <= high;
  if (!whole(min) || !whole(max) || min > max) {
    return `length must be a whole number or [min, max] within ${low}-${high}`;
  }
  return undefined;
}
