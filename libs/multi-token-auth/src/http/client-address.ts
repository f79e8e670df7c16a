import { isIPv6 } from 'node:net';

/**
 * The unit that attempt limits and the password-check queue count by: an IPv4 address, or an IPv6
 * /64 (one customer's network: counting full IPv6 addresses would give an attacker 2^64 "clients").
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as a dual-stack server reports IPv4 clients) is its
 * IPv4 address. `-` when the address is unknown.
 */
export function clientAddress(ip: string | null | undefined): string {
  if (!ip) return '-';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${expand(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded (a zone index dropped). */
function expand(ip: string): string[] {
  const [head, tail] = ip.split('%')[0].toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups; the /64 prefix never includes it.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array<string>(8 - width(left) - width(right)).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}
