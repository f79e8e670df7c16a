import { metadataProblem } from './token-metadata';
import { validatedBy } from './problem.validator';

/** A JSON object (or `null`) of at most 4 KB as UTF-8 JSON: a token's `metadata`. */
export function IsTokenMetadata(): PropertyDecorator {
  return validatedBy('isTokenMetadata', metadataProblem);
}
