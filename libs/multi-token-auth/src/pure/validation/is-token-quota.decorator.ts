import { quotaProblem } from '../quotas/quota.rule';
import { validatedBy } from './problem.validator';

/** `null`, or `{"limit": n, "refill"?: {"amount": n, "every": "1d"}}`: a token's `quota`. */
export function IsTokenQuota(): PropertyDecorator {
  return validatedBy('isTokenQuota', quotaProblem);
}
