import { tokenNameProblem } from './token-name';
import { validatedBy } from './problem.validator';

/**
 * A string of 1–100 code points after trimming: well-formed Unicode (no lone surrogate halves), no
 * control, zero-width or bidi-override characters outside emoji, not starting with a combining
 * mark, and at most `TOKEN_NAME_MAX_COMBINING_MARKS` (6) marks in a row.
 *
 * @example
 * class RenameDto { @IsTokenName() name!: string; }
 */
export function IsTokenName(): PropertyDecorator {
  return validatedBy('isTokenName', (value) =>
    typeof value === 'string' ? tokenNameProblem(value.trim()) : 'name must be a string',
  );
}
