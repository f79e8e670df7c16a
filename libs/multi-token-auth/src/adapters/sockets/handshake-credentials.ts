import { MalformedAuthRequestException, MissingTokenException } from '../../contracts/errors/auth.exceptions';
import { parseBearer, parseCredentials } from '../../pure/http/bearer-header.parser';

/** Where a connection may carry its token. */
export interface HandshakeSources {
  /** The upgrade request's headers (`Authorization: Bearer …`). */
  headers?: Record<string, string | string[] | undefined>;
  /** The upgrade request's raw header list (to refuse a repeated `Authorization`). */
  rawHeaders?: string[];
  /** socket.io's `auth` payload or graphql-ws's `connectionParams`. */
  payload?: unknown;
  /** The client's address (the socket's peer), for a token's `allowedIps`. */
  address?: string | undefined;
}

/**
 * The one token a connection presents: `Authorization: Bearer <token>` on the upgrade request, or
 * in the payload as `authorization: "Bearer <token>"` (also `Authorization`) or `token: "<token>"`.
 * Both at once, or a payload value that is not a string, is a malformed request (400); none is 401.
 * Never a query parameter: URLs end up in access logs.
 */
export function handshakeToken(sources: HandshakeSources): string {
  const fromHeader = parseBearer({ headers: sources.headers ?? {}, rawHeaders: sources.rawHeaders });
  if (fromHeader.kind === 'malformed') throw new MalformedAuthRequestException();
  const fromPayload = payloadToken(sources.payload);
  if (fromHeader.kind === 'token' && fromPayload !== undefined) throw new MalformedAuthRequestException();
  const token = fromHeader.kind === 'token' ? fromHeader.token : fromPayload;
  if (token === undefined) throw new MissingTokenException();
  return token;
}

/**
 * The token in the payload, or `undefined` when it names none. A field that is there at all counts
 * (`{ authorization: null }` is malformed, not "no credentials"): a bad credential never becomes anonymous.
 */
function payloadToken(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const fields = payload as Record<string, unknown>;
  const present = ['authorization', 'Authorization', 'token'].filter((field) => field in fields);
  if (present.length > 1) throw new MalformedAuthRequestException();
  const [field] = present;
  if (field === undefined) return undefined;
  const value = fields[field];
  if (typeof value !== 'string' || value === '') throw new MalformedAuthRequestException();
  if (field === 'token') return value;
  // The same grammar as the header: spaces or TABs after `Bearer`, a token68 credential.
  const parsed = parseCredentials(value);
  if (parsed.kind !== 'token') throw new MalformedAuthRequestException();
  return parsed.token;
}
