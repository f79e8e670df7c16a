import { registerDecorator, type ValidationArguments } from 'class-validator';

/** Why a value is refused (the message sent in `validation_failed`), or `undefined` when it is fine. */
export type ProblemOf = (value: unknown, property: string) => string | undefined;

/**
 * A class-validator decorator from one function that both decides and explains: the value passes
 * when `problemOf` finds nothing, and its answer is the message. The library's own validators
 * (`@IsScopeList()`, `@IsAllowList()`, `@IsTokenMetadata()`) are made with it.
 */
export function validatedBy(name: string, problemOf: ProblemOf): PropertyDecorator {
  return (target: object, property: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => problemOf(value, String(property)) === undefined,
        defaultMessage: ({ value }: ValidationArguments) => problemOf(value, String(property)) ?? '',
      },
    });
}
