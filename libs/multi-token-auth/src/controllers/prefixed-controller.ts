import { Controller, type Type } from '@nestjs/common';

/**
 * A subclass of `base` mounted at `prefix`. Route paths live in decorators, which are fixed when
 * the class is declared; subclassing is how one controller is mounted under a prefix chosen at
 * `forRoot()` time without mutating the library's own class.
 */
export function prefixedController<T>(base: Type<T>, prefix: string): Type<T> {
  const prefixed = class extends (base as Type<object>) {};
  Object.defineProperty(prefixed, 'name', { value: base.name });
  Controller(prefix)(prefixed);
  return prefixed as Type<T>;
}
