import { ConflictException, HttpStatus } from '@nestjs/common';

/** 409 `username_taken`, in the library's error body. */
export class UsernameTakenException extends ConflictException {
  constructor() {
    super({
      statusCode: HttpStatus.CONFLICT,
      message: 'Username is already taken.',
      error: 'Conflict',
      code: 'username_taken',
    });
  }
}
