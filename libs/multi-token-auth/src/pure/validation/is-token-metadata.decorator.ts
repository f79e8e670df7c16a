import { registerDecorator, type ValidationArguments } from 'class-validator';
import { metadataProblem } from './token-metadata';

/** A JSON object (or `null`) of at most 4 KB as UTF-8 JSON: a token's `metadata`. */
export function IsTokenMetadata(): PropertyDecorator {
  return (target: object, property: string | symbol) =>
    registerDecorator({
      name: 'isTokenMetadata',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => metadataProblem(value, String(property)) === undefined,
        defaultMessage: ({ value }: ValidationArguments) => metadataProblem(value, String(property)) ?? '',
      },
    });
}
