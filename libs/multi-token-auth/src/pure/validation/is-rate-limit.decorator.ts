import { rateLimitProblem } from './rate-limit';
import { validatedBy } from './problem.validator';

/** `null`, or `"N/unit"` like `"100/m"`: a token's `rateLimit`. */
export function IsRateLimit(): PropertyDecorator {
  return validatedBy('isRateLimit', rateLimitProblem);
}
