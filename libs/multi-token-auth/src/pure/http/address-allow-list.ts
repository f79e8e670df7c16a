import { BlockList, isIP } from 'node:net';
import { canonicalAddress } from './client-address';

/** The most entries one token's `allowedIps` may hold. */
export const MAX_ALLOWED_IPS = 100;

/**
 * Why `value` is not an `allowedIps` list, or `undefined`: `null` (no restriction), or 1 to 100
 * entries, each an IPv4 or IPv6 address (`203.0.113.7`, `2001:db8::1`) or a network in CIDR form
 * (`203.0.113.0/24`, `2001:db8::/32`), written plainly (no ports, zones or numeric IPv4 forms).
 */
export function allowListProblem(value: unknown, property = 'allowedIps'): string | undefined {
  if (value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ALLOWED_IPS) {
    return `${property} must be null or a list of 1 to ${MAX_ALLOWED_IPS} addresses or CIDR networks`;
  }
  const wrong: unknown = (value as unknown[]).find((entry) => parseEntry(entry) === undefined);
  if (wrong === undefined) return undefined;
  const shown = typeof wrong === 'string' ? JSON.stringify(wrong.slice(0, 60)) : 'a value that is not a string';
  return `${property} must hold IP addresses or CIDR networks (203.0.113.0/24, 2001:db8::/32), not ${shown}`;
}

/** The entries in canonical form (as requests' addresses are compared), duplicates dropped, sorted. */
export function normalizeAllowList(list: readonly string[]): string[] {
  const entries = list.map((entry) => parseEntry(entry)).filter((entry) => entry !== undefined);
  return [
    ...new Set(entries.map(({ address, prefix }) => (prefix === undefined ? address : `${address}/${prefix}`))),
  ].sort();
}

/**
 * Whether `ip` (a request's address, any spelling: `::ffff:10.0.0.1` is `10.0.0.1`) is inside one of
 * the entries. No address, or one that is not an IP address, is never allowed.
 */
export function allowsAddress(list: readonly string[], ip: string | null | undefined): boolean {
  const address = canonicalAddress(ip);
  if (address === undefined) return false;
  return compiled(list).check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

interface Entry {
  address: string;
  prefix?: number;
}

function parseEntry(entry: unknown): Entry | undefined {
  if (typeof entry !== 'string' || entry.length > 60) return undefined;
  const [text = '', prefixText, extra] = entry.trim().split('/');
  const family = isIP(text);
  // No zone index (`fe80::1%eth0`): it names an interface of this host, not a client.
  if (family === 0 || extra !== undefined || text.includes('%')) return undefined;
  const address = canonicalAddress(text);
  if (address === undefined) return undefined;
  if (prefixText === undefined) return { address };
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.0) with a prefix would mean another network: refused.
  if (isIP(address) !== family || !(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) return undefined;
  return { address, prefix };
}

/** Each distinct list compiled once (a `BlockList`), kept for the next request with the same token. */
const cache = new Map<string, BlockList>();
const CACHE_LIMIT = 1000;

function compiled(list: readonly string[]): BlockList {
  const key = list.join(' ');
  let blocks = cache.get(key);
  if (blocks) return blocks;
  blocks = new BlockList();
  for (const entry of list) {
    const parsed = parseEntry(entry);
    if (!parsed) continue;
    const type = isIP(parsed.address) === 4 ? 'ipv4' : 'ipv6';
    if (parsed.prefix === undefined) blocks.addAddress(parsed.address, type);
    else blocks.addSubnet(parsed.address, parsed.prefix, type);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, blocks);
  return blocks;
}
