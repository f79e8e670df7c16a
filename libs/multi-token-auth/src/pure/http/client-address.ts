import { hash } from 'node:crypto';
import { formatIPv4, formatIPv6, parseAddress, type ParsedAddress } from './client-address.parser';

/** The bucket of a request with no address at all (its connection closed before it was read). */
export const NO_ADDRESS = 'unknown';

/** How the bucket of a value that is not an IP address begins: `other:` and 16 hex digits of its SHA-256. */
export const NOT_AN_ADDRESS = 'other:';

/**
 * The client's IP address in one canonical text form, or `undefined` when `raw` is not an IP address.
 * Every spelling of one address gives one string: a port is dropped (`10.7.7.7:5000`,
 * `[::1]:443`), an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, as a dual-stack socket reports IPv4
 * clients) and one from the NAT64 prefix `64:ff9b::/96` are the IPv4 address, numeric IPv4 forms
 * (`0x7f.1`, `017700000001`, `2130706433`) are dotted decimal, IPv6 is RFC 5952 text. Recorded
 * with new tokens and in events.
 */
export function canonicalAddress(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const parsed = asIPv4(parseAddress(raw));
  if (!parsed) return undefined;
  return parsed.family === 4 ? formatIPv4(parsed.value) : formatIPv6(parsed.groups);
}

/**
 * The unit that attempt limits and the password-check queue count by, computed here and nowhere
 * else: an IPv4 address, or an IPv6 /64 (`2001:db8:1:2::/64`), since one customer, or one attacker,
 * is given a whole /64 and can pick any of its 2^64 addresses for each request.
 *
 * A value that is not an address (a proxy writing `unknown` or an obfuscated RFC 7239 name) counts
 * as itself, hashed: `other:<16 hex>`. Not one shared bucket, which anyone able to send such a value
 * could fill to lock out everybody else in it; and counting it as itself gives nothing away, since
 * whoever can choose this value (a client behind a proxy that is trusted but not there, or a
 * proxy that passes its input through) can as well choose a fresh real address per request, which
 * only a correct `trust proxy` setting prevents. No value at all is {@link NO_ADDRESS}.
 */
export function clientAddress(raw: string | null | undefined): string {
  if (raw === undefined || raw === null || raw.trim() === '') return NO_ADDRESS;
  const parsed = asIPv4(parseAddress(raw));
  if (!parsed) return `${NOT_AN_ADDRESS}${hash('sha256', raw.trim(), 'hex').slice(0, 16)}`;
  if (parsed.family === 4) return formatIPv4(parsed.value);
  return `${formatIPv6([...parsed.groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}

/** An IPv6 address that carries an IPv4 client's address (`::ffff:0:0/96`, `64:ff9b::/96`) as that IPv4 address. */
function asIPv4(parsed: ParsedAddress | undefined): ParsedAddress | undefined {
  if (parsed?.family !== 6) return parsed;
  const [a, b, c, d, e, f, g, h] = parsed.groups;
  const mapped = a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff;
  const nat64 = a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0;
  return mapped || nat64 ? { family: 4, value: g * 65_536 + h } : parsed;
}
