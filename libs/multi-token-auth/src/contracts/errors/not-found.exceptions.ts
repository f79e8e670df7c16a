import { BadRequestException, NotFoundException } from '@nestjs/common';
import { authErrorBody } from './auth-error.table';

/** What was not found: a session, an API key, or the API-key client itself (API keys disabled). */
export type NotFoundCode =
  'session_not_found' | 'api_key_not_found' | 'api_keys_disabled' | 'revocation_feed_unavailable';

/** 404, also for another user's token: existence is never confirmed across users. */
export class TokenNotFoundException extends NotFoundException {
  constructor(code: NotFoundCode = 'session_not_found') {
    super(authErrorBody(code));
  }
}

/** 400: `DELETE /auth/sessions/:id` named the session making the request. */
export class CurrentSessionException extends BadRequestException {
  constructor() {
    super(authErrorBody('current_session'));
  }
}
