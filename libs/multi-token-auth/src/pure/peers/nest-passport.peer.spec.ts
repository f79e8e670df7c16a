import { AuthGuard as NestAuthGuard, PassportStrategy as NestPassportStrategy } from '@nestjs/passport';
import { AuthGuard, nestPassportProblem, PassportStrategy } from './nest-passport.peer';

describe('@nestjs/passport beside @nestjs/core', () => {
  it('passes a pair of the same major', () => {
    expect(nestPassportProblem({ core: '11.1.6', passport: '11.0.5' })).toBeUndefined();
    expect(nestPassportProblem({ core: '12.5.1', passport: '12.0.0' })).toBeUndefined();
  });

  it('refuses @nestjs/passport 12 in a NestJS 11 app, naming the versions and the install that fixes it', () => {
    expect(nestPassportProblem({ core: '11.2.12', passport: '12.0.0' })).toBe(
      'nestjs-multi-token-auth: @nestjs/passport 12.0.0 is installed beside @nestjs/core 11.2.12; their major ' +
        'versions must match (a NestJS 11 app under Jest cannot load the ES-module-only @nestjs/passport 12). ' +
        'Install the one for your NestJS: npm install @nestjs/passport@^11',
    );
  });

  it('refuses @nestjs/passport 11 in a NestJS 12 app (npm --legacy-peer-deps can install it)', () => {
    expect(nestPassportProblem({ core: '12.5.1', passport: '11.0.5' })).toMatch(
      /@nestjs\/passport 11\.0\.5 is installed beside @nestjs\/core 12\.5\.1; .* npm install @nestjs\/passport@\^12$/,
    );
  });

  it('loads, on a matching pair, the very AuthGuard and PassportStrategy the app gets', () => {
    expect(AuthGuard).toBe(NestAuthGuard);
    expect(PassportStrategy).toBe(NestPassportStrategy);
  });
});
