import { registerDecorator, type ValidationArguments } from 'class-validator';
import { tokenNameProblem } from './token-name';

/** A string of 1–100 code points after trimming, with no control, zero-width or bidi-override characters. */
export function IsTokenName(): PropertyDecorator {
  return (target: object, property: string | symbol) =>
    registerDecorator({
      name: 'isTokenName',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && tokenNameProblem(value.trim()) === undefined,
        defaultMessage: ({ value }: ValidationArguments) =>
          typeof value === 'string' ? (tokenNameProblem(value.trim()) ?? '') : 'name must be a string',
      },
    });
}
