import { allowListProblem } from '../http/address-allow-list';
import { validatedBy } from './problem.validator';

/** `null`, or 1 to 100 IP addresses and CIDR networks: a token's `allowedIps`. */
export function IsAllowList(): PropertyDecorator {
  return validatedBy('isAllowList', allowListProblem);
}
