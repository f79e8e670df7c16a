import { errorAnswerOf } from '../../contracts/errors/error-body';

/**
 * WebSocket close codes for a connection whose credentials fail, in the range RFC 6455 leaves to
 * applications (4000–4999), as graphql-ws uses them: 4400 Bad request, 4401 Unauthorized, 4403
 * Forbidden, 4429 Too many requests; 1011 (internal error) for a store outage or a bug, where
 * the server cannot check now and the client may retry. `undefined` for an error that is not one
 * of the library's.
 * The reason is the library's stable code (`invalid_token`, `token_expired`…).
 */
export function closeCodeOf(error: unknown): { code: number; reason: string } | undefined {
  const answer = errorAnswerOf(error);
  if (!answer) return undefined;
  const { statusCode: status, code: reason } = answer;
  if (status === 400) return { code: 4400, reason };
  if (status === 401) return { code: 4401, reason };
  if (status === 403) return { code: 4403, reason };
  if (status === 429) return { code: 4429, reason };
  return { code: 1011, reason };
}
