import { errorBodySchema } from './auth-api.schemas';
import { optionalSwagger } from './swagger.loader';

const DESCRIPTIONS: { [status: number]: string } = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  415: 'Unsupported media type',
  429: 'Too many requests',
  503: 'Unavailable (retry)',
};

/** Every 429 of the library says when to try again. */
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
};

/**
 * Documents an error answer in the library's body, `{statusCode, message, error, code}`, with the
 * stable `codes` it can carry, for @nestjs/swagger. Use it on your own routes as the built-in
 * ones do; without @nestjs/swagger installed it does nothing.
 */
export function ApiErrorResponse(
  status: number,
  codes: readonly string[],
  description = DESCRIPTIONS[status] ?? 'Error',
): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const swagger = optionalSwagger();
    if (!swagger) return;
    const listed = `${description}: ${codes.map((code) => `\`${code}\``).join(', ')}`;
    const headers = status === 429 ? RETRY_AFTER : undefined;
    swagger.ApiResponse({ status, description: listed, schema: errorBodySchema(status, codes), headers })(
      target,
      key,
      descriptor,
    );
  };
}
