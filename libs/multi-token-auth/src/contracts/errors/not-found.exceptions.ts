import { BadRequestException, HttpStatus, NotFoundException } from '@nestjs/common';

export const SESSION_NOT_FOUND_MESSAGE = 'Session not found.';
export const API_KEY_NOT_FOUND_MESSAGE = 'API key not found.';
export const API_KEYS_DISABLED_MESSAGE = 'API keys are disabled.';
export const CURRENT_SESSION_MESSAGE = 'This is the current session; end it with POST /auth/logout.';

/** 404, also for another user's token: existence is never confirmed across users. */
export class TokenNotFoundException extends NotFoundException {
  constructor(message = SESSION_NOT_FOUND_MESSAGE, code = 'session_not_found') {
    super({ statusCode: HttpStatus.NOT_FOUND, message, error: 'Not Found', code });
  }
}

/** 400: `DELETE /auth/sessions/:id` named the session making the request. */
export class CurrentSessionException extends BadRequestException {
  constructor() {
    super({
      statusCode: HttpStatus.BAD_REQUEST,
      message: CURRENT_SESSION_MESSAGE,
      error: 'Bad Request',
      code: 'current_session',
    });
  }
}
