import { formatIPv6, parseIPv6 } from './client-address.parser';

/**
 * The network a client (as `clientAddress()` writes it) belongs to, for sharing the password-check
 * queue: an IPv6 /64 is counted in its /56, anything else (an IPv4 address, a non-address) is its
 * own network. A /56 is the smallest delegation RFC 6177 suggests for a home, so one household or
 * one rented server holds 256 /64s: counted by /64 alone, one such customer would look like 256
 * people to the queue and could crowd everyone else out of it. The attempt limits still count by
 * /64, so neighbours in one /56 do not share a budget of attempts.
 */
export function clientNetwork(client: string): string {
  if (!client.endsWith('/64')) return client;
  const parsed = parseIPv6(client.slice(0, -3));
  if (parsed?.family !== 6) return client;
  const [a, b, c, d] = parsed.groups;
  return `${formatIPv6([a, b, c, d & 0xff00, 0, 0, 0, 0])}/56`;
}
