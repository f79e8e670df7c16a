import { isIPv4 } from 'node:net';
import fc from 'fast-check';
import { canonicalAddress, clientAddress, NO_ADDRESS } from './client-address';
import { formatIPv4, parseIPv4 } from './client-address.parser';

/** What the WHATWG URL parser (browsers, Node's `URL`) makes of `host`: its canonical IP text, or undefined. */
function urlHost(host: string): string | undefined {
  try {
    const hostname = new URL(`http://${host}/`).hostname;
    if (hostname.startsWith('[')) return hostname.slice(1, -1);
    return isIPv4(hostname) ? hostname : undefined;
  } catch {
    return undefined;
  }
}

describe('canonicalAddress / clientAddress', () => {
  it.each([
    // IPv4, with the ports and wrappers gateways add
    ['10.7.7.7', '10.7.7.7', '10.7.7.7'],
    ['10.7.7.7:5000', '10.7.7.7', '10.7.7.7'],
    [' 10.7.7.7:65535 ', '10.7.7.7', '10.7.7.7'],
    ['"10.7.7.7:80"', '10.7.7.7', '10.7.7.7'],
    // numeric forms inet_aton() and browsers accept
    ['0x7f.1', '127.0.0.1', '127.0.0.1'],
    ['017700000001', '127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1', '127.0.0.1'],
    ['0177.0.0.01', '127.0.0.1', '127.0.0.1'],
    ['0X7F.0x0.0.1:8080', '127.0.0.1', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1', '127.0.0.1'],
    // IPv4 inside IPv6
    ['::ffff:10.0.0.1', '10.0.0.1', '10.0.0.1'],
    ['::FFFF:192.168.1.9', '192.168.1.9', '192.168.1.9'],
    ['::ffff:a00:1', '10.0.0.1', '10.0.0.1'],
    ['[::ffff:10.0.0.1]:443', '10.0.0.1', '10.0.0.1'],
    ['0:0:0:0:0:ffff:0a00:0001', '10.0.0.1', '10.0.0.1'],
    ['64:ff9b::10.0.0.1', '10.0.0.1', '10.0.0.1'],
    // IPv6: RFC 5952 text, counted by /64
    ['::1', '::1', '::/64'],
    ['[::1]:443', '::1', '::/64'],
    ['[0:0:0:0:0:0:0:1]', '::1', '::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002::0001', '2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8::1', '2001:db8::/64'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', '2001:db8::/64'],
    ['fe80::1%eth0', 'fe80::1', 'fe80::/64'],
    ['[fe80::1%25eth0]:80', 'fe80::1', 'fe80::/64'],
    ['::ffff:1:2:3', '::ffff:1:2:3', '::/64'],
  ])('%j is %j, counted as %j', (raw, canonical, bucket) => {
    expect(canonicalAddress(raw)).toBe(canonical);
    expect(clientAddress(raw)).toBe(bucket);
  });

  it.each([
    'unknown',
    '_hidden',
    'example.com',
    '256.1.1.1',
    '1.2.3.4.5',
    '08.1.1.1',
    '10.7.7.7:65536',
    '10.7.7.7:',
    '10.7.7.7:http',
    '[10.7.7.7]:80',
    '[::1]:',
    '[::1',
    '1e2',
    '2001:db8::/64',
    '::ffff:1.2.3.4:80',
    'fe80::1%',
    'fe80::1%a b',
    `${'0'.repeat(100)}1`, // 0.0.0.1 to a browser, but longer than any address is written
  ])('%j is not an address: its own hashed bucket', (raw) => {
    expect(canonicalAddress(raw)).toBeUndefined();
    expect(clientAddress(raw)).toMatch(/^other:[0-9a-f]{16}$/);
    expect(clientAddress(raw)).toBe(clientAddress(` ${raw} `.trim()));
  });

  it.each([undefined, null, '', '   '])('no address (%j) is the one shared bucket', (raw) => {
    expect(clientAddress(raw)).toBe(NO_ADDRESS);
    expect(canonicalAddress(raw)).toBeUndefined();
  });

  it('puts every address of one IPv6 /64 in one bucket, and the next /64 in another', () => {
    expect(clientAddress('2001:db8:a:b::1')).toBe(clientAddress('2001:db8:a:b:9999::42'));
    expect(clientAddress('2001:db8:a:b::1')).not.toBe(clientAddress('2001:db8:a:c::1'));
  });

  describe('properties', () => {
    const ipv4 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    const port = fc.integer({ min: 0, max: 65_535 });

    it('every spelling of one IPv4 address, with or without a port, is one canonical address and one bucket', () => {
      fc.assert(
        fc.property(ipv4, port, (value, p) => {
          const dotted = formatIPv4(value);
          const [a, b, c, d] = dotted.split('.').map(Number);
          const hex = (n: number) => n.toString(16);
          const spellings = [
            dotted,
            `${dotted}:${p}`,
            String(value),
            `0x${hex(value)}`,
            `0${value.toString(8)}`,
            `${a}.${b}.${c * 256 + d}`,
            `${a}.${b * 65_536 + c * 256 + d}`,
            `0x${hex(a)}.0${b.toString(8)}.${c}.0X${hex(d).toUpperCase()}:${p}`,
            `::ffff:${dotted}`,
            `[::ffff:${hex((a << 8) | b)}:${hex((c << 8) | d)}]:${p}`,
            `64:ff9b::${dotted}`,
          ];
          expect(spellings.map(canonicalAddress)).toEqual(spellings.map(() => dotted));
          expect(spellings.map((spelled) => clientAddress(spelled))).toEqual(spellings.map(() => dotted));
        }),
      );
    });

    it('IPv4 text is read exactly as the WHATWG URL parser reads it (fast-check ipV4Extended and noise)', () => {
      const noise = fc.stringMatching(/^[0-9a-fxX.]{1,24}$/);
      fc.assert(
        fc.property(fc.oneof(fc.ipV4Extended(), noise), (text) => {
          const parsed = parseIPv4(text);
          expect(parsed && parsed.family === 4 ? formatIPv4(parsed.value) : undefined).toBe(urlHost(text));
        }),
        { numRuns: 2_000 },
      );
    });

    it('IPv6 text gives the URL standard’s RFC 5952 form, with or without brackets, port and zone', () => {
      fc.assert(
        fc.property(fc.ipV6(), port, fc.boolean(), (text, p, upper) => {
          const expected = urlHost(`[${text}]`) as string;
          const spelled = upper ? text.toUpperCase() : text;
          const canonical = canonicalAddress(spelled);
          // IPv4-mapped and NAT64 addresses are their IPv4 address, everything else its IPv6 text.
          const embedded = /^(::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(expected);
          if (embedded)
            expect(canonical).toBe(formatIPv4(parseInt(embedded[2], 16) * 65_536 + parseInt(embedded[3], 16)));
          else expect(canonical).toBe(expected);
          expect(canonicalAddress(`[${spelled}]:${p}`)).toBe(canonical);
          expect(canonicalAddress(`${spelled}%eth0`)).toBe(canonical);
          expect(clientAddress(`[${spelled}]:${p}`)).toBe(clientAddress(spelled));
        }),
        { numRuns: 2_000 },
      );
    });

    it('an IPv6 bucket is its /64: the low 64 bits never matter, the high 64 always do', () => {
      const group = fc.integer({ min: 0, max: 0xffff });
      const half = fc.array(group, { minLength: 4, maxLength: 4 });
      const text = (groups: number[]) => groups.map((g) => g.toString(16)).join(':');
      // A first group of 0x2000-0x3fff: global unicast, never the IPv4-carrying prefixes.
      const prefix = fc.tuple(fc.integer({ min: 0x2000, max: 0x3fff }), group, group, group);
      fc.assert(
        fc.property(prefix, half, half, prefix, (high, low1, low2, otherHigh) => {
          const a = clientAddress(text([...high, ...low1]));
          expect(a).toBe(clientAddress(text([...high, ...low2])));
          expect(a.endsWith('::/64')).toBe(true);
          if (text(high) !== text(otherHigh)) expect(a).not.toBe(clientAddress(text([...otherHigh, ...low1])));
        }),
      );
    });

    it('never throws; any value is an address, its own hashed bucket, or the no-address bucket', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
          const bucket = clientAddress(text);
          const canonical = canonicalAddress(text);
          if (canonical === undefined) expect(bucket).toMatch(/^(other:[0-9a-f]{16}|unknown)$/);
          else expect(bucket === canonical || bucket.endsWith('::/64')).toBe(true);
        }),
        { numRuns: 2_000 },
      );
    });
  });
});
