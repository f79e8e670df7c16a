import fc from 'fast-check';
import type { AuthRequest } from './auth-request';
import { parseBearer } from './bearer-header.parser';

/** Properties of the header parser over arbitrary headers (fast-check): it never throws, and it is exact. */
describe('parseBearer properties', () => {
  const value = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.constantFrom('Bearer', 'bearer ', 'BEARER  x', 'Basic abc', ' Bearer x'),
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

  it('returns the token exactly for one "Bearer <token>" header, in any scheme case', () => {
    const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR');
    const token = fc.stringMatching(/^[!-~]{1,80}$/);
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
