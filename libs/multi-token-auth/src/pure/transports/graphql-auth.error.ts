import { IntrinsicException } from '@nestjs/common';
import { errorAnswerOf } from '../../contracts/errors/error-body';

/** GraphQL's `extensions.code` for each status the library answers with. */
const GRAPHQL_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** What a GraphQL client reads in `errors[].extensions`. */
export interface GraphqlAuthExtensions {
  /** `UNAUTHENTICATED`, `FORBIDDEN`, `BAD_REQUEST`, `TOO_MANY_REQUESTS`, `SERVICE_UNAVAILABLE` or `INTERNAL_SERVER_ERROR`. */
  code: string;
  /** The library's stable code, as in the HTTP body: `invalid_token`, `insufficient_scope`… */
  reason: string;
  /** The HTTP status the same failure answers over REST. */
  status: number;
  /** `insufficient_scope`: the scopes the field requires (all of them, or any one). */
  requiredScopes?: string[];
  anyOfScopes?: string[];
}

/**
 * A library failure in a GraphQL resolver, shaped as GraphQL servers expect: graphql-js copies
 * `extensions` into the error it returns, with the transport's `code` (`UNAUTHENTICATED`,
 * `FORBIDDEN`…) and the library's `reason`. An `IntrinsicException`, so Nest does not log it as a
 * crash; its stack is its message only, so a server that sends stack traces sends no frames.
 */
export class GraphqlAuthError extends IntrinsicException {
  constructor(
    message: string,
    readonly extensions: GraphqlAuthExtensions,
  ) {
    super(message);
    this.name = 'GraphqlAuthError';
    this.stack = `${this.name}: ${message}`;
  }
}

/** The GraphQL form of a library exception a guard raised; anything else is returned as it is. */
export function toGraphqlError(error: unknown): unknown {
  const answer = errorAnswerOf(error);
  if (!answer) return error;
  const { code, statusCode: status, message, ...scopes } = answer;
  const extensions: GraphqlAuthExtensions = {
    code: GRAPHQL_CODES[status] ?? 'INTERNAL_SERVER_ERROR',
    reason: code,
    status,
    ...scopes,
  };
  return new GraphqlAuthError(message, extensions);
}
