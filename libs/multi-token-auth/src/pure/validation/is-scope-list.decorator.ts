import { registerDecorator, type ValidationArguments } from 'class-validator';
import { scopesProblem } from '../scopes/scope-set';

/** An array of scopes (RFC 6749 scope-tokens: printable ASCII, no spaces or quotes), at most `MAX_SCOPES`. */
export function IsScopeList(): PropertyDecorator {
  return (target: object, property: string | symbol) =>
    registerDecorator({
      name: 'isScopeList',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => scopesProblem(value, String(property)) === undefined,
        defaultMessage: ({ value }: ValidationArguments) => scopesProblem(value, String(property)) ?? '',
      },
    });
}
