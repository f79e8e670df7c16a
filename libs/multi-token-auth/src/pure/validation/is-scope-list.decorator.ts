import { scopesProblem } from '../scopes/scope-set';
import { validatedBy } from './problem.validator';

/** An array of scopes (RFC 6749 scope-tokens: printable ASCII, no spaces or quotes), at most `MAX_SCOPES`. */
export function IsScopeList(): PropertyDecorator {
  return validatedBy('isScopeList', scopesProblem);
}
