import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { BASE62, toBase62 } from './base62.util';
import { TOKEN_CHECKSUM_LENGTH, TOKEN_RANDOM_LENGTH, TokenCodec } from './token.codec';

describe('TokenCodec', () => {
  const codec = new TokenCodec('mta');

  it('generates <prefix>_<32 base62><6 base62 CRC32 of the random part>', () => {
    const token = codec.generate();
    expect(token).toMatch(/^mta_[0-9A-Za-z]{38}$/);
    const random = token.slice(4, 4 + TOKEN_RANDOM_LENGTH);
    expect(token.slice(4 + TOKEN_RANDOM_LENGTH)).toBe(toBase62(crc32(random), TOKEN_CHECKSUM_LENGTH));
    expect(codec.isWellFormed(token)).toBe(true);
  });

  it('carries at least 190 bits of randomness and never repeats', () => {
    expect(TOKEN_RANDOM_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(190);
    const tokens = new Set(Array.from({ length: 2000 }, () => codec.generate()));
    expect(tokens.size).toBe(2000);
  });

  it('draws every base62 character about equally often', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      for (const char of codec.generate().slice(4, 4 + TOKEN_RANDOM_LENGTH))
        counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (2000 * TOKEN_RANDOM_LENGTH) / 62;
    for (const char of BASE62) expect(Math.abs((counts.get(char) ?? 0) - expected) / expected).toBeLessThan(0.15);
  });

  it.each([
    ['a changed random character', (t: string) => t.slice(0, 10) + (t[10] === 'A' ? 'B' : 'A') + t.slice(11)],
    ['a changed checksum character', (t: string) => t.slice(0, -1) + (t.endsWith('0') ? '1' : '0')],
    ['another prefix', (t: string) => 'ghp' + t.slice(3)],
    ['a missing character', (t: string) => t.slice(0, -1)],
    ['an extra character', (t: string) => t + 'a'],
    ['a non-base62 character', (t: string) => t.slice(0, 8) + '-' + t.slice(9)],
    ['multi-byte characters', (t: string) => t.slice(0, 8) + 'é' + t.slice(9)],
    ['a NUL byte', (t: string) => t.slice(0, 8) + '\0' + t.slice(9)],
  ])('rejects a token with %s', (_case, mutate) => {
    expect(codec.isWellFormed(mutate(codec.generate()))).toBe(false);
  });

  it.each([undefined, null, 42, {}, '', 'mta_', 'x'.repeat(10_000)])('rejects %p without throwing', (input) => {
    expect(codec.isWellFormed(input)).toBe(false);
  });

  it('digests with SHA-256 (hex), the only stored form', () => {
    const token = codec.generate();
    expect(codec.digest(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(codec.digest(token)).not.toContain(token.slice(4));
  });
});

describe('TokenCodec with a legacy format', () => {
  const drf = new TokenCodec('mta', { alphabet: /[0-9a-f]/, length: 40 });
  const key = 'a'.repeat(20) + '0123456789abcdef0123';

  it('accepts values of the legacy shape, matched whole, besides its own tokens', () => {
    expect(drf.isWellFormed(key)).toBe(true);
    expect(drf.isWellFormed(drf.generate())).toBe(true);
    expect(drf.isWellFormed(`${key}0`)).toBe(false);
    expect(drf.isWellFormed(`x${key}`)).toBe(false);
    expect(drf.isWellFormed(key.toUpperCase())).toBe(false);
  });

  it('refuses legacy-shaped values when no format is set, and overlong values whatever the format', () => {
    expect(new TokenCodec('mta').isWellFormed(key)).toBe(false);
    expect(new TokenCodec('mta', { alphabet: /[a-z]/, length: [16, 128] }).isWellFormed('a'.repeat(129))).toBe(false);
    expect(new TokenCodec('mta', { alphabet: /[a-z]/, length: [16, 128] }).isWellFormed('a'.repeat(128))).toBe(true);
  });
});

describe('TokenCodec.claims: which bearer values the library answers for (the rest pass to other strategies)', () => {
  it('claims its prefix whatever follows (a mangled token of ours is still ours), and nothing else', () => {
    const codec = new TokenCodec('mta');
    expect(codec.claims(codec.generate())).toBe(true);
    expect(codec.claims(`mta_${'a'.repeat(38)}`)).toBe(true);
    expect(codec.claims('mta_x')).toBe(true);
    expect(codec.claims('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2ln')).toBe(false);
    expect(codec.claims('mta')).toBe(false);
    expect(codec.claims('MTA_abc')).toBe(false);
    expect(new TokenCodec('acme').claims(codec.generate())).toBe(false);
  });

  it('claims the legacy shape only when legacyTokens sets it', () => {
    const key = '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b';
    expect(new TokenCodec('mta').claims(key)).toBe(false);
    expect(new TokenCodec('mta', { alphabet: /[0-9a-f]/, length: 40 }).claims(key)).toBe(true);
    expect(new TokenCodec('mta', { alphabet: /[0-9a-f]/, length: 40 }).claims(`${key}0`)).toBe(false);
  });
});
