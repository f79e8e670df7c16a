import { registerDecorator, type ValidationArguments } from 'class-validator';
import { allowListProblem } from '../http/address-allow-list';

/** `null`, or 1 to 100 IP addresses and CIDR networks: a token's `allowedIps`. */
export function IsAllowList(): PropertyDecorator {
  return (target: object, property: string | symbol) =>
    registerDecorator({
      name: 'isAllowList',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => allowListProblem(value, String(property)) === undefined,
        defaultMessage: ({ value }: ValidationArguments) => allowListProblem(value, String(property)) ?? '',
      },
    });
}
