import { clientAddress } from './client-address';

describe('clientAddress', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:192.168.1.9', '192.168.1.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, '-'],
    [null, '-'],
    ['', '-'],
  ])('%s counts as %s', (ip, expected) => {
    expect(clientAddress(ip)).toBe(expected);
  });

  it('puts every address of one IPv6 /64 in one bucket, and the next /64 in another', () => {
    expect(clientAddress('2001:db8:a:b::1')).toBe(clientAddress('2001:db8:a:b:9999::42'));
    expect(clientAddress('2001:db8:a:b::1')).not.toBe(clientAddress('2001:db8:a:c::1'));
  });
});
