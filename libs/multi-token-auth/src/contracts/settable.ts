/**
 * Every optional setting also takes `undefined`, which means its default: with
 * `exactOptionalPropertyTypes`, `tokenPrefix: config.get<string>('TOKEN_PREFIX')` type-checks.
 */
export type Settable<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * A callback option checked as a method is (bivariantly), so that one typed with your entity, such
 * as `(user: User) => user.isActive`, fits where the library declares `object`.
 */
export type Callback<F extends (...args: never[]) => unknown> = {
  method(...args: Parameters<F>): ReturnType<F>;
}['method'];
