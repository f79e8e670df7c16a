import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import type { TokenPosition } from '../../contracts/token-store.interface';
import { setResponseHeader, type AuthRequest, type AuthResponse } from './auth-request';

const CURSOR = /^(\d{1,15})\.([0-9a-f-]{36})$/;

/** The position a cursor names; 400 `validation_failed` for one this server did not make. */
export function decodeCursor(cursor: string | undefined): TokenPosition | undefined {
  if (cursor === undefined) return undefined;
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) throw new ValidationFailedException(['cursor must be the value from a Link header']);
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

function encodeCursor(token: AuthToken): string {
  return Buffer.from(`${token.createdAt.getTime()}.${token.id}`, 'latin1').toString('base64url');
}

/**
 * Trims a page read with `limit + 1` rows to `limit` and, when there was more, sends RFC 8288's
 * `Link: <path?limit=…&cursor=…>; rel="next"` (a reference relative to the request, as the RFC
 * allows; GitHub sends the same relation). The body stays a plain array.
 */
export function pageOf(tokens: AuthToken[], limit: number, req: AuthRequest, res: AuthResponse): AuthToken[] {
  if (tokens.length <= limit) return tokens;
  const page = tokens.slice(0, limit);
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  const next = `${path}?limit=${limit}&cursor=${encodeCursor(page[page.length - 1])}`;
  setResponseHeader(res, 'Link', `<${next}>; rel="next"`);
  return page;
}
