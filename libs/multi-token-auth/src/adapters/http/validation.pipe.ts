import { ValidationPipe } from '@nestjs/common';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';

/** The library's controllers validate their own input, whatever global pipe the app has. */
export const authValidationPipe = new ValidationPipe({
  whitelist: true,
  transform: true,
  exceptionFactory: (errors) => ValidationFailedException.fromErrors(errors),
});
