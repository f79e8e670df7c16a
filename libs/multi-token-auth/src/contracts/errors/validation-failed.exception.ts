import { BadRequestException, type ValidationError } from '@nestjs/common';
import { authErrorBody } from './auth-error.table';

/** 400 for a request body that fails validation: Nest's shape (`message` lists every problem) plus a `code`. */
export class ValidationFailedException extends BadRequestException {
  constructor(messages: string[]) {
    super({ ...authErrorBody('validation_failed'), message: messages });
  }

  /** The `exceptionFactory` of a `ValidationPipe`: flattens class-validator's errors into messages. */
  static fromErrors(errors: ValidationError[]): ValidationFailedException {
    const messages = (list: ValidationError[]): string[] =>
      list.flatMap((error) => [...Object.values(error.constraints ?? {}), ...messages(error.children ?? [])]);
    return new ValidationFailedException(messages(errors));
  }
}
