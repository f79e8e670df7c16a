import { BadRequestException, ConflictException, ForbiddenException } from '@nestjs/common';
import { authErrorBody } from './auth-error.table';

/** 400: the login or issue call named a client that does not exist. */
export class UnknownClientException extends BadRequestException {
  constructor() {
    super(authErrorBody('unknown_client'));
  }
}

/** 400: `POST /auth/login` named the API-key client. */
export class ApiKeyLoginException extends BadRequestException {
  constructor() {
    super(authErrorBody('api_key_login'));
  }
}

/** 400: `POST /auth/login` named the `legacyTokens` client, whose tokens only an import makes. */
export class LegacyClientLoginException extends BadRequestException {
  constructor() {
    super(authErrorBody('legacy_client_login'));
  }
}

/** 403: the user already holds `maxApiKeysPerUser` unexpired API keys. Keys are never revoked to make room. */
export class ApiKeyLimitException extends ForbiddenException {
  constructor() {
    super(authErrorBody('api_key_limit_exceeded'));
  }
}

/** 409: token names are unique per user. */
export class TokenNameTakenException extends ConflictException {
  constructor() {
    super(authErrorBody('token_name_taken'));
  }
}

/** 409: a key rolled with an overlap is on its way out; its replacement is the one to roll. */
export class ApiKeyRolledException extends ConflictException {
  constructor() {
    super(authErrorBody('api_key_rolled'));
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
