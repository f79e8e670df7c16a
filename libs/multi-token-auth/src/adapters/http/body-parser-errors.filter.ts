import { BadRequestException, Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { BodyRejectedException, type BodyParserCode } from '../../contracts/errors/bad-input.exceptions';
import { authErrorBody, type AuthErrorBody } from '../../contracts/errors/auth-error.table';

/** body-parser's `type` (Express) or Fastify's error `code` → the answer. */
const INVALID_JSON = authErrorBody('invalid_json');
const TOO_LARGE = authErrorBody('body_too_large');
const UNSUPPORTED = authErrorBody('unsupported_media_type');

const KNOWN: Record<string, AuthErrorBody<BodyParserCode>> = {
  'entity.parse.failed': INVALID_JSON,
  FST_ERR_CTP_INVALID_JSON_BODY: INVALID_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: INVALID_JSON,
  'entity.too.large': TOO_LARGE,
  FST_ERR_CTP_BODY_TOO_LARGE: TOO_LARGE,
  'charset.unsupported': authErrorBody('unsupported_media_type', 'charset'),
  'encoding.unsupported': authErrorBody('unsupported_media_type', 'encoding'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED,
  'request.aborted': authErrorBody('request_aborted'),
  'request.size.invalid': authErrorBody('bad_request', 'lengthMismatch'),
  // Express's urlencoded parser: more than `parameterLimit` (1 000) fields, or brackets nested past
  // `depth` (32). Size and depth, as the JSON body's own limits answer them.
  'parameters.too.many': authErrorBody('body_too_large', 'tooManyParameters'),
  'querystring.parse.rangeError': authErrorBody('body_too_deep'),
};

/** Any other refusal of the parsers: the code follows the status, so a 413 is never a `bad_request`. */
const BY_STATUS: Record<number, AuthErrorBody<BodyParserCode>> = { 413: TOO_LARGE, 415: UNSUPPORTED };

interface ParserError {
  type?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  errno?: unknown;
}

/** The answer for an error the platform's body parser raised, or `undefined` for any other error. */
export function bodyParserAnswer(error: unknown): BodyRejectedException | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof HttpException) {
    // NestJS 12 wraps the parser's error and keeps it as the cause; NestJS 11 keeps only its message.
    return error.cause === undefined ? mappedByNest(error) : parserAnswer(error.cause);
  }
  return parserAnswer(error);
}

/** The answer for the raw error of body-parser (Express) or of Fastify's content-type parsers. */
function parserAnswer(error: unknown): BodyRejectedException | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, code, status, statusCode, expose, errno } = error as ParserError;
  const known = KNOWN[String(type)] ?? KNOWN[String(code)];
  if (known) return new BodyRejectedException(known);
  // Any other 4xx of the parsers: body-parser's carry a `type`, or (a body that will not inflate) a
  // zlib `errno` on an http-errors error; Fastify's carry an FST_ERR_CTP code. An app's own
  // http-errors (a 404 from middleware, say) have neither and stay as they are.
  const httpStatus = typeof status === 'number' ? status : statusCode;
  const fromParser =
    typeof type === 'string' ||
    (expose === true && typeof errno === 'number') ||
    (typeof code === 'string' && code.startsWith('FST_ERR_CTP'));
  if (fromParser && typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500) {
    return new BodyRejectedException(BY_STATUS[httpStatus] ?? authErrorBody('bad_request'));
  }
  return undefined;
}

/** What `JSON.parse` says about bad JSON (V8), as body-parser and Fastify pass it on. */
const JSON_PARSE_MESSAGE = /(in|after) JSON at position \d+|is not valid JSON|Unexpected end of JSON input/;

/** Fastify's messages for the body errors Nest turns into a bare `HttpException(message, status)`. */
const FASTIFY_BODY_MESSAGE =
  /^(Unsupported Media Type|Request body is too large|Request body size did not match|Body cannot be empty|Body is not valid JSON)/;

/**
 * NestJS 11 rewrites two kinds of parser errors before any filter sees them (RoutesResolver):
 * Express's JSON `SyntaxError` becomes `new BadRequestException(parserMessage)`, and Fastify's errors
 * become `new HttpException(message, status)`, both without a cause. Recognised by their exact
 * class, bare shape and message, so an app's own exceptions are never touched.
 */
function mappedByNest(error: HttpException): BodyRejectedException | undefined {
  const body = error.getResponse();
  const status = error.getStatus();
  if (error.constructor === BadRequestException && typeof body === 'object' && !('code' in body)) {
    const { message } = body as { message?: unknown };
    if (typeof message === 'string' && JSON_PARSE_MESSAGE.test(message)) return new BodyRejectedException(INVALID_JSON);
  }
  if (error.constructor === HttpException && typeof body === 'string' && FASTIFY_BODY_MESSAGE.test(body)) {
    if (status === 413) return new BodyRejectedException(TOO_LARGE);
    if (status === 415) return new BodyRejectedException(UNSUPPORTED);
    if (/JSON/.test(body)) return new BodyRejectedException(INVALID_JSON);
    return new BodyRejectedException(authErrorBody('bad_request'));
  }
  if (
    error.constructor === HttpException &&
    typeof body === 'string' &&
    status === 400 &&
    JSON_PARSE_MESSAGE.test(body)
  ) {
    return new BodyRejectedException(INVALID_JSON);
  }
  return undefined;
}

/**
 * Gives the errors of the platform's body parser (malformed JSON, too large, unsupported charset
 * or encoding; Express and Fastify) the library's shape, `{statusCode, message, error, code}`, with
 * a fixed message, and logs each as one warning line instead of an ERROR with a stack. Every other
 * exception goes to Nest's own handling unchanged.
 *
 * @example
 * app.useGlobalFilters(new BodyParserErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
 */
@Catch()
export class BodyParserErrorsFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('MultiTokenAuth');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const answer = bodyParserAnswer(exception);
    if (!answer) return super.catch(exception, host);
    const body = answer.getResponse() as { code: string };
    this.logger.warn(`request body refused: ${answer.getStatus()} ${body.code}`);
    super.catch(answer, host);
  }
}
