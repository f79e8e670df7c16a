import { BadRequestException, ConflictException, ForbiddenException, HttpStatus } from '@nestjs/common';

export const UNKNOWN_CLIENT_MESSAGE = 'Unknown client.';
export const TOKEN_NAME_TAKEN_MESSAGE = 'A token with this name already exists for this user.';

/** 400: the login or issue call named a client that does not exist. */
export class UnknownClientException extends BadRequestException {
  constructor() {
    super({
      statusCode: HttpStatus.BAD_REQUEST,
      message: UNKNOWN_CLIENT_MESSAGE,
      error: 'Bad Request',
      code: 'unknown_client',
    });
  }
}

export const API_KEY_LOGIN_MESSAGE = 'API keys are created with POST /auth/api-keys, not by signing in.';
export const API_KEY_LIMIT_MESSAGE = 'Maximum number of API keys reached; revoke one first.';

/** 400: `POST /auth/login` named the API-key client. */
export class ApiKeyLoginException extends BadRequestException {
  constructor() {
    super({
      statusCode: HttpStatus.BAD_REQUEST,
      message: API_KEY_LOGIN_MESSAGE,
      error: 'Bad Request',
      code: 'api_key_login',
    });
  }
}

export const LEGACY_CLIENT_LOGIN_MESSAGE =
  'Tokens of this client are imported from the old system, never made by signing in.';

/** 400: `POST /auth/login` named the `legacyTokens` client, whose tokens only an import makes. */
export class LegacyClientLoginException extends BadRequestException {
  constructor() {
    super({
      statusCode: HttpStatus.BAD_REQUEST,
      message: LEGACY_CLIENT_LOGIN_MESSAGE,
      error: 'Bad Request',
      code: 'legacy_client_login',
    });
  }
}

/** 403: the user already holds `maxApiKeysPerUser` unexpired API keys. Keys are never revoked to make room. */
export class ApiKeyLimitException extends ForbiddenException {
  constructor() {
    super({
      statusCode: HttpStatus.FORBIDDEN,
      message: API_KEY_LIMIT_MESSAGE,
      error: 'Forbidden',
      code: 'api_key_limit_exceeded',
    });
  }
}

/** 409: token names are unique per user. */
export class TokenNameTakenException extends ConflictException {
  constructor() {
    super({
      statusCode: HttpStatus.CONFLICT,
      message: TOKEN_NAME_TAKEN_MESSAGE,
      error: 'Conflict',
      code: 'token_name_taken',
    });
  }
}

/** The codes a database error carries: TypeORM's own and its driver's (SQLite or PostgreSQL). */
function databaseCodes(error: unknown): unknown[] {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  return [code, driverError?.code];
}

/** Whether a database error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const codes = databaseCodes(error);
  return ['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].some((code) => codes.includes(code));
}

/** Whether a database error is a foreign-key violation (SQLite or PostgreSQL): a row it points to is gone. */
export function isForeignKeyViolation(error: unknown): boolean {
  const codes = databaseCodes(error);
  return ['23503', 'SQLITE_CONSTRAINT_FOREIGNKEY'].some((code) => codes.includes(code));
}
