import { isIPv6 } from 'node:net';

/** An IP address as numbers: IPv4 as one 32-bit value, IPv6 as its eight 16-bit groups. */
export type ParsedAddress = { family: 4; value: number } | { family: 6; groups: number[] };

/** Longer than any address with a port and a zone index; parsing stops there (attacker-sized input). */
const MAX_LENGTH = 100;

/**
 * Parses a client address in any form a socket, a proxy or a gateway writes it: `1.2.3.4`,
 * `1.2.3.4:5678`, `[2001:db8::1]:443`, `fe80::1%eth0`, `"[::1]:80"` (RFC 7239's quoted form), and
 * the numeric IPv4 forms that `inet_aton()` and every browser accept (`0x7f.1`, `017700000001`,
 * `2130706433`). The port and the zone index are dropped: they say nothing about who is asking.
 * `undefined` for anything that is not an address.
 */
export function parseAddress(raw: string): ParsedAddress | undefined {
  let text = raw.trim();
  if (text.length > MAX_LENGTH) return undefined;
  if (text.length > 1 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  const bracketed = /^\[([^\]]*)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return bracketed[2] !== undefined && !isPort(bracketed[2]) ? undefined : parseIPv6(bracketed[1]);
  const colons = text.split(':').length - 1;
  if (colons === 0) return parseIPv4(text);
  if (colons > 1) return parseIPv6(text);
  // One colon: an IPv4 address and a port (IPv6 has at least two colons).
  const [host, port] = text.split(':');
  return isPort(port) ? parseIPv4(host) : undefined;
}

function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65_535;
}

/**
 * The WHATWG URL standard's IPv4 parser (what browsers and `inet_aton()` accept): one to four
 * parts separated by dots, each decimal, octal (leading `0`) or hex (`0x`), the last filling the
 * bytes left; one trailing dot allowed. `127.1`, `0x7f.0.0.1` and `2130706433` are all 127.0.0.1.
 */
export function parseIPv4(text: string): ParsedAddress | undefined {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = ipv4Number(part);
    if (n === undefined) return undefined;
    numbers.push(n);
  }
  const last = numbers.pop() as number;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  const value = numbers.reduce((sum, n, i) => sum + n * 256 ** (3 - i), last);
  return { family: 4, value };
}

/** One part of an IPv4 address: `undefined` unless it is all digits of its radix (`0x` alone is 0). */
function ipv4Number(part: string): number | undefined {
  if (part === '') return undefined;
  let digits = part;
  let pattern = /^[0-9]+$/;
  let radix = 10;
  if (/^0x/i.test(part)) [digits, pattern, radix] = [part.slice(2), /^[0-9a-f]+$/i, 16];
  else if (part.length > 1 && part.startsWith('0')) [digits, pattern, radix] = [part.slice(1), /^[0-7]+$/, 8];
  if (digits === '') return 0;
  // Exact up to 2^53; anything that large is refused by the caller all the same.
  return pattern.test(digits) ? parseInt(digits, radix) : undefined;
}

/** An IPv6 address (an optional `%zone` dropped) as eight groups; Node's `isIPv6` decides validity. */
export function parseIPv6(text: string): ParsedAddress | undefined {
  const zone = text.indexOf('%');
  const address = zone < 0 ? text : text.slice(0, zone);
  if (zone >= 0 && !/^[\w.~-]+$/.test(text.slice(zone + 1))) return undefined;
  if (!isIPv6(address)) return undefined;
  const toGroups = (side: string): number[] =>
    side === ''
      ? []
      : side.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          // An embedded IPv4 tail (::ffff:1.2.3.4) is the last two groups.
          const [a, b, c, d] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = address.split('::');
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  const zeros = tail === undefined ? [] : Array<number>(8 - left.length - right.length).fill(0);
  return { family: 6, groups: [...left, ...zeros, ...right] };
}

/** IPv4 in dotted decimal. */
export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** IPv6 in RFC 5952's canonical text: lower case, no leading zeros, the longest run of 2+ zero groups as `::`. */
export function formatIPv6(groups: number[]): string {
  let best = { start: -1, length: 1 };
  for (let i = 0; i < groups.length; i++) {
    let end = i;
    while (end < groups.length && groups[end] === 0) end++;
    if (end - i > best.length) best = { start: i, length: end - i };
    i = Math.max(i, end);
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  const head = hex.slice(0, best.start).join(':');
  const tail = hex.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}
