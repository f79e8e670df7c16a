/**
 * Whether a database error is a unique-constraint violation, on SQLite (better-sqlite3) or
 * PostgreSQL (pg): TypeORM passes the driver's code on, as `code` or under `driverError`.
 */
export function isUniqueViolation(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  return [code, driverError?.code].some(
    (value) => value === '23505' || value === 'SQLITE_CONSTRAINT_UNIQUE' || value === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  );
}
