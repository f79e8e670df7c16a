import type { AuthRequest } from './auth-request';
import { canonicalAddress } from './client-address';

/**
 * The user agent and IP recorded with a new token and in events (truncated on insert, never
 * trusted). The IP in its canonical form (`10.7.7.7`, never `10.7.7.7:5000` or `::ffff:10.7.7.7`),
 * `null` when the request's address is not an IP address.
 */
export function requestMeta(req: AuthRequest): { userAgent: string | null; ip: string | null } {
  const agent = req.headers['user-agent'];
  return { userAgent: typeof agent === 'string' ? agent : null, ip: canonicalAddress(req.ip) ?? null };
}
