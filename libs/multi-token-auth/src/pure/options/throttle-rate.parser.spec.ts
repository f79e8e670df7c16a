import { parseThrottleRate } from './throttle-rate.parser';

describe('parseThrottleRate', () => {
  it.each([
    ['100/m', { limit: 100, ttlMs: 60_000 }],
    ['1/s', { limit: 1, ttlMs: 1_000 }],
    ['5/h', { limit: 5, ttlMs: 3_600_000 }],
    ['1000/d', { limit: 1000, ttlMs: 86_400_000 }],
    ['10/15m', { limit: 10, ttlMs: 900_000 }],
    ['3/30s', { limit: 3, ttlMs: 30_000 }],
  ])('reads %s', (text, rate) => {
    expect(parseThrottleRate(text)).toEqual(rate);
  });

  it.each([
    '',
    '0/m',
    '-1/m',
    '10',
    '10/',
    '10/w',
    '1.5/m',
    'ten/m',
    '10/mm',
    ' 10/m',
    '10/M',
    '9999999999/m',
    '10/0m',
    '10/015m',
    '10/15',
    '10/m15',
  ])('refuses %p', (text) => {
    expect(parseThrottleRate(text)).toBeUndefined();
  });
});
