import fc from 'fast-check';
import type { AuthRequest } from './auth-request';
import { parseBearer, parseCredentials } from './bearer-header.parser';

/** Properties of the header parser over arbitrary headers (fast-check): it never throws, and it is exact. */
describe('parseBearer properties', () => {
  const value = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.constantFrom('Bearer', 'bearer ', 'BEARER  x', 'Bearer\tx', 'Bearer\u000bx', 'Basic abc', ' Bearer x'),
    fc.string({ maxLength: 40 }).map((rest) => `Bearer ${rest}`),
  );
  const headers = fc.dictionary(
    fc.constantFrom('authorization', 'x-other', 'cookie'),
    fc.oneof(value, fc.array(value)),
  );
  const rawHeaders = fc.array(fc.tuple(fc.constantFrom('Authorization', 'authorization', 'Host', 'X-A'), value));

  it('classifies any headers, raw header list, query and body without throwing', () => {
    fc.assert(
      fc.property(headers, rawHeaders, fc.anything(), fc.anything(), (h, raw, query, body) => {
        const req: AuthRequest = { headers: h, rawHeaders: raw.flat(), query, body, url: '/x?y' };
        expect(['none', 'malformed', 'token']).toContain(parseBearer(req).kind);
      }),
      { numRuns: 3000 },
    );
  });

  it('returns the token exactly for one "Bearer <token68>" header, in any scheme case', () => {
    const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR');
    const token = fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,80}=*$/);
    fc.assert(
      fc.property(scheme, token, (s, t) => {
        const header = `${s} ${t}`;
        const req: AuthRequest = { headers: { authorization: header }, rawHeaders: ['Authorization', header] };
        expect(parseBearer(req)).toEqual({ kind: 'token', token: t });
      }),
    );
  });

  it('refuses a second Authorization header, whatever either holds and however it is spelled', () => {
    const name = fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION');
    fc.assert(
      fc.property(name, value, name, value, (n1, v1, n2, v2) => {
        const req: AuthRequest = {
          headers: { authorization: `Bearer ${v1}` },
          rawHeaders: [n1, v1, 'Host', 'h', n2, v2],
        };
        expect(parseBearer(req)).toEqual({ kind: 'malformed' });
      }),
    );
  });
});

/** The grammar (RFC 9110 §11.4 with RFC 6750's b64token), as properties of `parseCredentials`. */
describe('parseCredentials grammar', () => {
  const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR');
  const token68 = fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,60}$/), fc.stringMatching(/^={0,3}$/))
    .map(([body, padding]) => body + padding);
  const spacesAndTabs = (minLength: number) =>
    fc.array(fc.constantFrom(' ', '\t'), { minLength, maxLength: 6 }).map((chars) => chars.join(''));
  /** Whitespace that is not HTTP's (SP / HTAB), and separators a sloppy client might send. */
  const otherSeparator = fc.constantFrom('\v', '\f', '\r', '\n', '\u0085', '\u00a0', '\u2003', '\u3000', ',', ':', '=');

  it('one or more spaces or TABs after the scheme, and any around the value: the token, exactly', () => {
    fc.assert(
      fc.property(spacesAndTabs(0), scheme, spacesAndTabs(1), token68, spacesAndTabs(0), (lead, s, sep, t, trail) => {
        expect(parseCredentials(`${lead}${s}${sep}${t}${trail}`)).toEqual({ kind: 'token', token: t });
      }),
    );
  });

  it('the legacy scheme word follows the same grammar, case-insensitively', () => {
    const word = fc.constantFrom('Token', 'token', 'TOKEN');
    fc.assert(
      fc.property(word, spacesAndTabs(1), token68, (w, sep, t) => {
        expect(parseCredentials(`${w}${sep}${t}`, 'token')).toEqual({ kind: 'token', token: t });
        expect(parseCredentials(`${w}${sep}${t}`)).toEqual({ kind: 'none' });
      }),
    );
  });

  it('any other separator after our scheme is malformed, never "no credentials"', () => {
    fc.assert(
      fc.property(scheme, otherSeparator, token68, (s, sep, t) => {
        expect(parseCredentials(`${s}${sep}${t}`)).toEqual({ kind: 'malformed' });
      }),
    );
  });

  it('a credential with any character outside token68, or "=" before its end, is malformed', () => {
    const outside = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 3 })
      .filter((x) => /[^A-Za-z0-9._~+/=-]/.test(x));
    fc.assert(
      fc.property(scheme, spacesAndTabs(1), token68, outside, token68, (s, sep, before, bad, after) => {
        const credential = `${before}${bad}${after}`;
        expect(parseCredentials(`${s}${sep}${credential}`)).toEqual({ kind: 'malformed' });
      }),
    );
    expect(parseCredentials('Bearer ab=c')).toEqual({ kind: 'malformed' });
    expect(parseCredentials('Bearer a b')).toEqual({ kind: 'malformed' });
    expect(parseCredentials('Bearer realm="x"')).toEqual({ kind: 'malformed' });
  });

  it('our scheme with no credential, however much whitespace follows, is malformed', () => {
    fc.assert(
      fc.property(spacesAndTabs(0), scheme, spacesAndTabs(0), (lead, s, trail) => {
        expect(parseCredentials(`${lead}${s}${trail}`)).toEqual({ kind: 'malformed' });
      }),
    );
  });

  it('another scheme, or a word that only starts like ours, is no bearer credentials whatever follows', () => {
    const other = fc
      .stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/)
      .filter((word) => !/^(bearer|token)$/i.test(word));
    fc.assert(
      fc.property(other, fc.string({ unit: 'binary', maxLength: 40 }), (word, rest) => {
        expect(parseCredentials(`${word} ${rest}`, 'token')).toEqual({ kind: 'none' });
      }),
    );
    expect(parseCredentials('Bearerx abc')).toEqual({ kind: 'none' });
    expect(parseCredentials('Basic  dXNlcjpwYXNz')).toEqual({ kind: 'none' });
  });

  it('agrees with the grammar written as one regular expression, on arbitrary strings', () => {
    const grammar = /^[ \t]*bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i;
    const near = fc
      .array(
        fc.constantFrom(
          'Bearer',
          'bearer',
          ' ',
          '\t',
          '\v',
          '\u00a0',
          'a',
          'Z',
          '0',
          '=',
          '+',
          '/',
          ',',
          '"',
          '\u00e9',
        ),
        {
          maxLength: 12,
        },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(near, fc.string({ unit: 'binary', maxLength: 30 })), (value) => {
        const match = grammar.exec(value);
        const parsed = parseCredentials(value);
        if (match) expect(parsed).toEqual({ kind: 'token', token: match[1] });
        else expect(parsed.kind).not.toBe('token');
      }),
      { numRuns: 3000 },
    );
  });

  it('the fast path for "Bearer <value>" concludes what the general path does (reached here through a leading TAB)', () => {
    const rest = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.stringMatching(/^[ \t]{0,3}[A-Za-z0-9._~+/=-]{0,40}[ \t,]{0,3}$/),
    );
    fc.assert(
      fc.property(rest, (value) => {
        const header = `Bearer ${value}`;
        expect(parseCredentials(header)).toEqual(parseCredentials(`\t${header}`));
      }),
      { numRuns: 5000 },
    );
  });

  it('runs in linear time on hostile whitespace (no regex backtracking on the client’s input)', () => {
    const hostile = [
      `Bearer${' '.repeat(200_000)}x y`,
      `${' \t'.repeat(100_000)}Bearer x${' '.repeat(200_000)}!`,
      `Bearer ${'a'.repeat(200_000)}=${'='.repeat(10)}a`,
    ];
    const started = process.hrtime.bigint();
    for (const value of hostile) expect(parseCredentials(value).kind).toBe('malformed');
    // Linear: well under a millisecond each; a quadratic trim or split would take seconds.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
  });
});
