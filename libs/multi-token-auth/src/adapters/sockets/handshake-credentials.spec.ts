import { MalformedAuthRequestException, MissingTokenException } from '../../contracts/errors/auth.exceptions';
import { handshakeToken } from './handshake-credentials';

describe('handshakeToken', () => {
  it('reads the Authorization header of the upgrade request, or the payload as authorization or token', () => {
    expect(handshakeToken({ headers: { authorization: 'Bearer mta_a' } })).toBe('mta_a');
    expect(handshakeToken({ payload: { authorization: 'bearer mta_b' } })).toBe('mta_b');
    expect(handshakeToken({ payload: { Authorization: 'Bearer mta_c' } })).toBe('mta_c');
    expect(handshakeToken({ payload: { token: 'mta_d' } })).toBe('mta_d');
  });

  it('reads the header and the payload by the same grammar: spaces or TABs after Bearer, a token68 value', () => {
    expect(handshakeToken({ headers: { authorization: 'Bearer \t mta_a' } })).toBe('mta_a');
    expect(handshakeToken({ payload: { authorization: 'Bearer  mta_b' } })).toBe('mta_b');
    expect(handshakeToken({ payload: { authorization: ' bearer\tmta_c ' } })).toBe('mta_c');
    for (const value of ['Bearer\u00a0mta_a', 'Bearer\u000bmta_a', 'Bearer mta_a%', 'Bearer mta_a mta_b']) {
      expect(() => handshakeToken({ payload: { authorization: value } })).toThrow(MalformedAuthRequestException);
      expect(() => handshakeToken({ headers: { authorization: value } })).toThrow(MalformedAuthRequestException);
    }
  });

  it('no credentials anywhere (or another header scheme) is missing, not malformed', () => {
    for (const sources of [{}, { headers: {} }, { payload: {} }, { payload: 'text' }, { payload: null }]) {
      expect(() => handshakeToken(sources)).toThrow(MissingTokenException);
    }
    expect(() => handshakeToken({ headers: { authorization: 'Basic dXNlcg==' } })).toThrow(MissingTokenException);
  });

  it.each([
    ['a null authorization', { payload: { authorization: null } }],
    ['an undefined token field', { payload: { token: undefined } }],
    ['an empty token', { payload: { token: '' } }],
    ['a token that is not a string', { payload: { token: 42 } }],
    ['a payload authorization of another scheme', { payload: { authorization: 'Basic dXNlcg==' } }],
    ['token and authorization at once', { payload: { token: 'mta_a', authorization: 'Bearer mta_a' } }],
    ['both spellings of authorization', { payload: { authorization: 'Bearer mta_a', Authorization: 'Bearer mta_a' } }],
    ['a header and a payload at once', { headers: { authorization: 'Bearer mta_a' }, payload: { token: 'mta_a' } }],
    [
      'a repeated Authorization header',
      {
        headers: { authorization: 'Bearer mta_a' },
        rawHeaders: ['Authorization', 'Bearer mta_a', 'authorization', 'Bearer mta_b'],
      },
    ],
  ])('%s is malformed (400), never anonymous', (_case, sources) => {
    expect(() => handshakeToken(sources)).toThrow(MalformedAuthRequestException);
  });
});
