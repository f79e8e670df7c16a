import fc from 'fast-check';
import { effectiveScopes, holdsAll, holdsAny, intersectScopes, normalizeScopes, scopesProblem } from './scope-set';
import { scopesTransformer } from '../../contracts/entities/scopes.transformer';

const scope = fc.constantFrom('a:read', 'a:write', 'b:read', 'b:write', 'admin');
const list = fc.uniqueArray(scope);
const maybe = fc.option(list, { nil: null });

describe('scope sets', () => {
  it('a token never holds more than its client allows now, nor more than its own list', () => {
    fc.assert(
      fc.property(maybe, maybe, (own, allowed) => {
        const granted = effectiveScopes({ scopes: own }, { scopes: allowed });
        if (allowed !== null) expect(holdsAll(allowed, granted ?? [])).toBe(granted !== null);
        if (own !== null) expect(granted).not.toBeNull();
        for (const s of granted ?? []) {
          if (own) expect(own).toContain(s);
          if (allowed) expect(allowed).toContain(s);
        }
        if (own === null && allowed === null) expect(granted).toBeNull();
      }),
    );
  });

  it('null means unrestricted: every check passes', () => {
    expect(holdsAll(null, ['x'])).toBe(true);
    expect(holdsAny(null, ['x'])).toBe(true);
    expect(holdsAll([], ['x'])).toBe(false);
    expect(holdsAny([], ['x'])).toBe(false);
    expect(holdsAll([], [])).toBe(true);
  });

  it('intersection treats null as everything', () => {
    fc.assert(
      fc.property(maybe, maybe, (a, b) => {
        const ab = intersectScopes(a, b);
        const ba = intersectScopes(b, a);
        expect(ab === null ? null : normalizeScopes(ab)).toEqual(ba === null ? null : normalizeScopes(ba));
      }),
    );
  });

  it('stores a list as space-separated text and reads it back; NULL stays null, "" is the empty list', () => {
    fc.assert(
      fc.property(maybe, (scopes) => {
        const stored = scopesTransformer.to(scopes) as string | null;
        expect(scopesTransformer.from(stored)).toEqual(scopes);
      }),
    );
  });

  it.each([
    [['orders:read', 'repo.write', 'admin/users', 'x'], undefined],
    [['a b'], /each scope/],
    [['a\\b'], /each scope/],
    [['é'], /each scope/],
    [[''], /each scope/],
    ['a', /must be an array/],
  ])('scopesProblem(%j)', (value, problem) => {
    const answer = scopesProblem(value);
    if (problem === undefined) expect(answer).toBeUndefined();
    else expect(answer).toMatch(problem);
  });
});
