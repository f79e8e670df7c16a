import type { HttpStatus } from '@nestjs/common';

/** The error body every library exception sends: `{ statusCode, message, error, code }`. */
export function body(status: HttpStatus, message: string, error: string, code: string) {
  return { statusCode: status, message, error, code };
}
