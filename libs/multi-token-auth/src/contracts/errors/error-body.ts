import { HttpException } from '@nestjs/common';
import { isStoreOutage } from './store-outage';

/** What every transport tells a client of an `HttpException`: its stable code, status, message and scopes. */
export interface ErrorAnswer {
  /** The library's stable code (`invalid_token`, `insufficient_scope`…), `error` when the body has none. */
  code: string;
  statusCode: number;
  message: string;
  requiredScopes?: string[];
  anyOfScopes?: string[];
}

/** The answer an `HttpException` carries, read once for HTTP, GraphQL and sockets; `undefined` for any other error. */
export function errorAnswerOf(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof HttpException)) return undefined;
  const response = error.getResponse() as {
    message?: unknown;
    code?: unknown;
    requiredScopes?: string[];
    anyOfScopes?: string[];
  };
  return {
    code: typeof response.code === 'string' ? response.code : 'error',
    statusCode: error.getStatus(),
    message: typeof response.message === 'string' ? response.message : error.message,
    ...(response.requiredScopes && { requiredScopes: response.requiredScopes }),
    ...(response.anyOfScopes && { anyOfScopes: response.anyOfScopes }),
  };
}

/** The stable code an error answers with: the body's `code`, else `auth_unavailable` (a store outage) or `internal_error`, as the client gets them. */
export function errorCodeOf(error: unknown): string {
  const answer = errorAnswerOf(error);
  if (answer && answer.code !== 'error') return answer.code;
  return isStoreOutage(error) ? 'auth_unavailable' : 'internal_error';
}
