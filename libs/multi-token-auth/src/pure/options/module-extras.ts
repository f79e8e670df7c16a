import type { MultiTokenAuthExtras } from '../../contracts/multi-token-auth.options';
import { checkAll, flag, matching, type Check } from './option.checks';

/** Each module-shape setting (an "extra" of `ConfigurableModuleBuilder`) and what it must be. */
const EXTRA_CHECKS: Record<keyof MultiTokenAuthExtras, Check> = {
  isGlobal: flag,
  // A path of fixed segments: a parameter (`:id`) or a wildcard would make the login route ambiguous.
  routePrefix: matching(/^[A-Za-z0-9._~/-]*$/, 'a path such as "auth" or "api/session" (letters, digits, . _ ~ - /)'),
  mountControllers: flag,
  globalGuard: flag,
};

/** The module-shape settings, by name. */
export const EXTRA_KEYS = Object.keys(EXTRA_CHECKS) as (keyof MultiTokenAuthExtras)[];

/** Keys `forRootAsync()` reads itself, beside the module-shape settings. */
const ASYNC_KEYS = ['imports', 'inject', 'useFactory', 'useClass', 'useExisting', 'provideInjectionTokensFrom'];

/**
 * Why a module-shape setting cannot come from an async module's factory (`forRootAsync()`, or
 * `forResourceServerAsync()` with `fixed` naming what its shape decides): Nest fixes a module's
 * controllers, their paths, its global guards and whether it is global when the module is defined,
 * before any provider (the factory is one) runs. Honouring it there would mean silently ignoring it.
 */
export function extraFromFactoryProblem(
  key: string,
  method = 'forRootAsync',
  fixed = 'routes, controllers and global guard are',
): string {
  return (
    `${key} was returned by the ${method}() factory, where it cannot take effect: the module's ` +
    `${fixed} fixed before any factory runs. Pass it beside useFactory: ` +
    `MultiTokenAuthModule.${method}({ useFactory, inject, ${key}: … }).`
  );
}

/** Why `key` beside `useFactory` of `method()` is refused: only what `read` names is read there. */
export function besideFactoryProblem(method: string, key: string, read: string): string {
  return (
    `${method}() got "${key}" beside useFactory, where only ${read} are read. Return options such as ${key} ` +
    'from useFactory (or fix the name if it is a typo).'
  );
}

/**
 * The module-shape settings with their defaults, checked. `given` is what `forRoot()` or
 * `forRootAsync()` received (for `forRoot()`, every option); an `undefined` setting means its default.
 */
export function resolveExtras(given: object, defaults: Required<MultiTokenAuthExtras>): Required<MultiTokenAuthExtras> {
  const extras: Partial<Record<keyof MultiTokenAuthExtras, unknown>> = {};
  for (const key of EXTRA_KEYS) {
    const value = (given as Record<string, unknown>)[key];
    if (value !== undefined) extras[key] = value;
  }
  checkAll(extras, EXTRA_CHECKS, '');
  return { ...defaults, ...(extras as MultiTokenAuthExtras) };
}

/**
 * `forRootAsync()` hands every key it does not know to the module definition, where anything but a
 * module-shape setting would be dropped without a word: an option such as `user` put beside
 * `useFactory` instead of returned by it, or a typo (`globalGaurd`). Refused here, naming the fix.
 */
export function checkAsyncKeys(options: object): void {
  for (const key of Object.keys(options)) {
    if (ASYNC_KEYS.includes(key) || (EXTRA_KEYS as string[]).includes(key)) continue;
    const read = `${ASYNC_KEYS.join(', ')} and the module-shape settings ${EXTRA_KEYS.join(', ')}`;
    throw new Error(`multi-token-auth: ${besideFactoryProblem('forRootAsync', key, read)}`);
  }
}
