import fc from 'fast-check';
import { BASE62 } from './base62.util';
import { TokenCodec } from './token.codec';

/** Properties over arbitrary input (fast-check): the codec never throws, and a checksum catches every typo. */
describe('TokenCodec properties', () => {
  const codec = new TokenCodec('mta');
  const anyInput = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.anything(),
  );

  it('accepts or refuses any input without throwing, and accepts only the exact format', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const accepted = codec.isWellFormed(input);
        if (accepted) expect(input).toMatch(/^mta_[0-9A-Za-z]{38}$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('every generated token round-trips: well-formed, and one stable 64-hex digest', () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const token = codec.generate();
        expect(codec.isWellFormed(token)).toBe(true);
        expect(codec.digest(token)).toMatch(/^[0-9a-f]{64}$/);
        expect(codec.digest(token)).toBe(codec.digest(`${token}`));
      }),
      { numRuns: 500 },
    );
  });

  it('one changed character anywhere is always refused, whatever it becomes', () => {
    const token = fc.constant(null).map(() => codec.generate());
    const replacement = fc.oneof(
      fc.constantFrom(...BASE62.split('')),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(token, fc.nat(), replacement, (original, at, char) => {
        const index = at % original.length;
        fc.pre(original[index] !== char);
        const changed = original.slice(0, index) + char + original.slice(index + 1);
        expect(codec.isWellFormed(changed)).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('a dropped or an added character is always refused', () => {
    const token = fc.constant(null).map(() => codec.generate());
    fc.assert(
      fc.property(token, fc.nat(), fc.constantFrom(...BASE62.split('')), (original, at, char) => {
        const index = at % original.length;
        expect(codec.isWellFormed(original.slice(0, index) + original.slice(index + 1))).toBe(false);
        expect(codec.isWellFormed(original.slice(0, index) + char + original.slice(index))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
