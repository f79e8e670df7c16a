import { Controller, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';

/**
 * A subclass of `base` mounted at `prefix`. Route paths live in decorators, which are fixed when
 * the class is declared; subclassing is how one controller is mounted under a prefix chosen at
 * `forRoot()` time without mutating the library's own class.
 */
export function prefixedController<T>(base: Type<T>, prefix: string): Type<T> {
  const prefixed = class extends (base as Type<object>) {};
  Object.defineProperty(prefixed, 'name', { value: base.name });
  // The base's own path (e.g. 'api-keys') goes under the prefix.
  const own = Reflect.getMetadata(PATH_METADATA, base) as string | undefined;
  Controller(own && own !== '/' ? `${prefix}/${own}` : prefix)(prefixed);
  return prefixed as Type<T>;
}
