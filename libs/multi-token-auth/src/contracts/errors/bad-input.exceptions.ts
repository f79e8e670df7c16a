import { BadRequestException, HttpException } from '@nestjs/common';
import { AUTH_ERRORS, authErrorBody, type AuthErrorBody } from './auth-error.table';

/** 400 `body_too_deep`: refused before any pipe walks it (class-transformer recurses, and overflows the stack). */
export class BodyTooDeepException extends BadRequestException {
  constructor() {
    super(authErrorBody('body_too_deep'));
  }
}

/** 400 `invalid_characters`: a NUL anywhere in the body or query, which no database column may store. */
export class NulCharacterException extends BadRequestException {
  constructor() {
    super(authErrorBody('invalid_characters'));
  }
}

/**
 * 415 `json_required`: a cookie client's login sent as a form. A page on another site can post a
 * form to this origin without asking, and would sign the browser in to the attacker's account
 * (login CSRF); a JSON body needs a CORS preflight that other sites do not pass.
 */
export class JsonRequiredException extends HttpException {
  constructor() {
    super(authErrorBody('json_required'), AUTH_ERRORS.json_required.status);
  }
}

/** What the platform's body parser refused, in the library's error shape. */
export class BodyRejectedException extends HttpException {
  constructor(body: AuthErrorBody<BodyParserCode>) {
    super(body, body.statusCode);
  }
}

/** The codes a refusal of the platform's body parser answers with. */
export type BodyParserCode =
  'invalid_json' | 'body_too_large' | 'body_too_deep' | 'unsupported_media_type' | 'request_aborted' | 'bad_request';
