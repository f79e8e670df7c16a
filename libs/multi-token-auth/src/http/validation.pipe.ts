import { ValidationPipe } from '@nestjs/common';

/** The library's controllers validate their own input, whatever global pipe the app has. */
export const authValidationPipe = new ValidationPipe({ whitelist: true, transform: true });
