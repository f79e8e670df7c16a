import { DRF_TOKEN_FORMAT, legacyFormatProblem } from './legacy-token.format';

/** A legacy key must be a credential the Authorization grammar accepts (token68), or it could never be presented. */
describe('legacyFormatProblem: the alphabet and the header grammar', () => {
  it.each([
    ['DRF', DRF_TOKEN_FORMAT.alphabet],
    ['upper-case hex (i)', /[0-9a-f]/i],
    ['base64url', /[A-Za-z0-9_-]/],
    ['base64', /[A-Za-z0-9+/]/],
    ['every token68 character', /[A-Za-z0-9._~+/-]/u],
  ])('accepts %s', (_case, alphabet) => {
    expect(legacyFormatProblem({ alphabet, length: 40 })).toBeUndefined();
  });

  it.each([
    ['a percent sign', /[0-9a-f%]/],
    ['a comma', /[0-9a-f,]/],
    ['an equals sign (padding only, never inside a token)', /[0-9a-f=]/],
    ['a negated class', /[^,]/],
    ['a Latin-1 letter', /[a-zé]/],
    ['an emoji (u)', /[a-z\u{1F600}]/u],
    ['a no-break space', /[a-z\u00a0]/],
  ])('refuses an alphabet with %s, naming token68', (_case, alphabet) => {
    expect(legacyFormatProblem({ alphabet, length: 40 })).toMatch(/outside token68/);
  });
});
