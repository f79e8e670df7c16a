import { HttpException, type HttpStatus } from '@nestjs/common';
import { isStoreOutage } from './store-outage';

/** The error body every library exception sends: `{ statusCode, message, error, code }`. */
export function body(status: HttpStatus, message: string, error: string, code: string) {
  return { statusCode: status, message, error, code };
}

/** The stable code an error answers with: the body's `code`, else `auth_unavailable` (a store outage) or `internal_error`, as the client gets them. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof HttpException) {
    const response = error.getResponse() as { code?: unknown };
    if (typeof response.code === 'string') return response.code;
  }
  return isStoreOutage(error) ? 'auth_unavailable' : 'internal_error';
}
