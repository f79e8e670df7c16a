import type { AuthRequest } from './auth-request';

/** The user agent and IP recorded with a new token (truncated on insert, never trusted). */
export function requestMeta(req: AuthRequest): { userAgent: string | null; ip: string | null } {
  const agent = req.headers['user-agent'];
  return { userAgent: typeof agent === 'string' ? agent : null, ip: req.ip ?? null };
}
