import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';

export const BODY_TOO_DEEP_MESSAGE = 'The request body is nested too deeply.';
export const NUL_CHARACTER_MESSAGE = 'The request contains a NUL character.';

/** 400 `body_too_deep`: refused before any pipe walks it (class-transformer recurses, and overflows the stack). */
export class BodyTooDeepException extends BadRequestException {
  constructor() {
    super({
      statusCode: HttpStatus.BAD_REQUEST,
      message: BODY_TOO_DEEP_MESSAGE,
      error: 'Bad Request',
      code: 'body_too_deep',
    });
  }
}

/** 400 `invalid_characters`: a NUL anywhere in the body or query, which no database column may store. */
export class NulCharacterException extends BadRequestException {
  constructor() {
    super({
      statusCode: HttpStatus.BAD_REQUEST,
      message: NUL_CHARACTER_MESSAGE,
      error: 'Bad Request',
      code: 'invalid_characters',
    });
  }
}

export const JSON_REQUIRED_MESSAGE = 'A browser sign-in must send its body as application/json.';

/**
 * 415 `json_required`: a cookie client's login sent as a form. A page on another site can post a
 * form to this origin without asking, and would sign the browser in to the attacker's account
 * (login CSRF); a JSON body needs a CORS preflight that other sites do not pass.
 */
export class JsonRequiredException extends HttpException {
  constructor() {
    super(
      {
        statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        message: JSON_REQUIRED_MESSAGE,
        error: 'Unsupported Media Type',
        code: 'json_required',
      },
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
}

/** What the platform's body parser refused, in the library's error shape. */
export class BodyRejectedException extends HttpException {
  constructor(status: number, message: string, code: string) {
    super({ statusCode: status, message, error: errorName(status), code }, status);
  }
}

function errorName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
  };
  return names[status] ?? 'Bad Request';
}
