/** The matchers the conformance suites use: Jest's and Vitest's `expect` both provide them. */
export interface ConformanceExpectation {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toBeUndefined(): void;
  toBeDefined(): void;
  toBeGreaterThan(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
  toHaveLength(expected: number): void;
}

/**
 * The test functions a conformance suite registers its cases with. Jest's and Vitest's globals
 * (`describe`, `it`, `beforeEach`, `afterEach`, `expect`) are used when none are given, so the
 * library depends on neither: pass them explicitly (`import { describe, it, … } from 'vitest'`) when
 * your runner has no globals.
 */
export interface ConformanceTestApi {
  describe: (name: string, body: () => void) => void;
  it: (name: string, body: () => unknown, timeout?: number) => void;
  beforeEach: (body: () => unknown) => void;
  afterEach: (body: () => unknown) => void;
  expect: (actual: unknown) => ConformanceExpectation;
}

const NAMES = ['describe', 'it', 'beforeEach', 'afterEach', 'expect'] as const;

/** The given test functions, else the runner's globals; a clear error when there are neither. */
export function conformanceTestApi(given: ConformanceTestApi | undefined, suite: string): ConformanceTestApi {
  if (given) return given;
  const globals = globalThis as unknown as Partial<Record<(typeof NAMES)[number], unknown>>;
  const missing = NAMES.filter((name) => typeof globals[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(
      `${suite}() registers test cases, and found no global ${missing.join(', ')}: run it under Jest or ` +
        `Vitest with globals, or pass the functions as its last argument ({ describe, it, beforeEach, afterEach, expect }).`,
    );
  }
  return globals as unknown as ConformanceTestApi;
}
