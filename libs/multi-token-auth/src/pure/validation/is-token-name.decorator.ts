import { registerDecorator, type ValidationArguments } from 'class-validator';
import { tokenNameProblem } from './token-name';

/**
 * A string of 1–100 code points after trimming: well-formed Unicode (no lone surrogate halves), no
 * control, zero-width or bidi-override characters outside emoji, not starting with a combining
 * mark, and at most `TOKEN_NAME_MAX_COMBINING_MARKS` (6) marks in a row.
 *
 * @example
 * class RenameDto { @IsTokenName() name!: string; }
 */
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
