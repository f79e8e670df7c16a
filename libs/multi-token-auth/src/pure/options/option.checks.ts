import { parseThrottleRate } from './throttle-rate.parser';

const FIX = 'Check the options passed to MultiTokenAuthModule.forRoot() / forRootAsync().';

/** A refused option: `detail` names it and what it must be; the message adds where to fix it. */
export class OptionError extends Error {
  constructor(
    readonly detail: string,
    fix = FIX,
  ) {
    super(`multi-token-auth: ${detail} ${fix}`);
  }
}

/** A start-up error naming the option, what it must be and the fix. */
export function fail(message: string): never {
  throw new OptionError(message);
}

/** Checks one option's value (after defaults were applied); `path` names it in the error. */
export type Check = (value: unknown, path: string) => void;

function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return value !== null && typeof value === 'object' ? 'an object' : String(value);
}

function must(ok: boolean, path: string, what: string, value: unknown): void {
  if (!ok) fail(`${path} must be ${what}, got ${show(value)}.`);
}

/** `null` passes too (the option's "off" or "no limit"). */
export const nullable =
  (check: Check): Check =>
  (value, path) => {
    if (value !== null) check(value, path);
  };

export const count: Check = (value, path) =>
  must(Number.isSafeInteger(value) && (value as number) >= 1, path, 'a whole number >= 1', value);

/** Longest duration a client setting holds: 2^31 - 1 seconds (68 years), what an `integer` column and a `Date` take. */
export const MAX_CLIENT_SECONDS = 2_147_483_647;

/** A whole number of seconds, 1 to `MAX_CLIENT_SECONDS`. */
export const clientSeconds: Check = (value, path) =>
  must(
    Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_CLIENT_SECONDS,
    path,
    `a whole number of seconds from 1 to ${MAX_CLIENT_SECONDS}`,
    value,
  );

export const seconds: Check = (value, path) =>
  must(typeof value === 'number' && Number.isFinite(value) && value >= 0, path, 'a number of seconds >= 0', value);

export const positiveSeconds: Check = (value, path) =>
  must(typeof value === 'number' && Number.isFinite(value) && value > 0, path, 'a number of seconds > 0', value);

/** A number of `unit` from `min` to `max` (fractions allowed). */
export const numberBetween =
  (min: number, max: number, unit: string): Check =>
  (value, path) =>
    must(
      typeof value === 'number' && value >= min && value <= max,
      path,
      `a number of ${unit} from ${min} to ${max}`,
      value,
    );

/** A number of seconds from `min` to `max` (fractions allowed). */
export const secondsBetween = (min: number, max: number): Check => numberBetween(min, max, 'seconds');

/**
 * `https://`, or `http://` to this machine only (127.0.0.1, localhost, [::1]): a URL the library
 * fetches keys from or sends keys and tokens to, never in the clear across a network.
 */
export const HTTPS_OR_LOOPBACK = /^(https:\/\/[^\s]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/[^\s]*)?)$/;

export const flag: Check = (value, path) => must(typeof value === 'boolean', path, 'true or false', value);

export const text: Check = (value, path) =>
  must(typeof value === 'string' && value.length > 0, path, 'a non-empty string', value);

export const rate: Check = (value, path) =>
  must(
    typeof value === 'string' && parseThrottleRate(value) !== undefined,
    path,
    '"N/unit" like "100/m" or "10/15m" (a count, a slash, an optional number and one of s, m, h, d)',
    value,
  );

export const oneOf =
  (...allowed: string[]): Check =>
  (value, path) =>
    must(allowed.includes(value as string), path, allowed.map((a) => `"${a}"`).join(' or '), value);

export const matching =
  (pattern: RegExp, what: string): Check =>
  (value, path) =>
    must(typeof value === 'string' && pattern.test(value), path, what, value);

/** An object with these methods (a hasher, a clock, a store…). */
export const implementing =
  (...methods: string[]): Check =>
  (value, path) =>
    must(
      typeof value === 'object' &&
        value !== null &&
        methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
      path,
      `an object with ${methods.join(', ')}()`,
      value,
    );

export const plainObject: Check = (value, path) =>
  must(typeof value === 'object' && value !== null && !Array.isArray(value), path, 'an object', value);

/** Runs `checks` over `options`, and refuses keys it does not know (a typo would otherwise be ignored). */
export function checkAll(options: object, checks: Record<string, Check>, path: string, known: string[] = []): void {
  for (const [key, value] of Object.entries(options)) {
    const name = path ? `${path}.${key}` : key;
    const check = checks[key];
    if (!check && !known.includes(key)) {
      fail(`Unknown option ${name}; the options are: ${Object.keys(checks).concat(known).sort().join(', ')}.`);
    }
    if (value !== undefined) check?.(value, name);
  }
}
