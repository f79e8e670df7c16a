import { allowListProblem, allowsAddress, normalizeAllowList } from './address-allow-list';

describe('address allow-lists', () => {
  const list = normalizeAllowList(['203.0.113.0/24', '2001:db8::/32', '127.0.0.1', ' 10.1.2.3 ']);

  it('normalizes: canonical text, duplicates dropped, sorted', () => {
    expect(list).toEqual(['10.1.2.3', '127.0.0.1', '2001:db8::/32', '203.0.113.0/24']);
    expect(normalizeAllowList(['::ffff:10.1.2.3', '10.1.2.3', '2001:DB8:0::1'])).toEqual(['10.1.2.3', '2001:db8::1']);
  });

  it.each([
    ['203.0.113.7', true],
    ['203.0.114.7', false],
    ['2001:db8:ffff::1', true],
    ['2001:db9::1', false],
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:203.0.113.200', true],
    ['10.1.2.3:5000', true],
    ['10.1.2.4', false],
    ['unknown', false],
    ['', false],
    [undefined, false],
    [null, false],
  ])('%s → %s', (ip, allowed) => {
    expect(allowsAddress(list, ip)).toBe(allowed);
  });

  it.each([
    [[]],
    [Array.from({ length: 101 }, (_, i) => `10.0.0.${i % 250}`)],
    [['10.0.0.0/33']],
    [['2001:db8::/129']],
    [['10.0.0.0/-1']],
    [['10.0.0.0/8/8']],
    [['0x7f.1']],
    [['1.2.3.4:80']],
    [['fe80::1%eth0']],
    [['::ffff:10.0.0.0/104']],
    [['example.com']],
    [[42]],
    ['10.0.0.0/8'],
    [{ ip: '10.0.0.1' }],
  ])('refuses %j', (value) => {
    expect(allowListProblem(value)).toMatch(/^allowedIps must/);
  });

  it('takes null and a valid list', () => {
    expect(allowListProblem(null)).toBeUndefined();
    expect(allowListProblem(['0.0.0.0/0', '::/0', '192.168.1.1/32'])).toBeUndefined();
    expect(allowsAddress(normalizeAllowList(['0.0.0.0/0']), '8.8.8.8')).toBe(true);
  });
});
