import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy } from 'passport-strategy';

/**
 * Strategies an app composes with `'multi-token-bearer'`, for the composition specs: each decides in
 * `authenticate()` as the real packages do, so Passport's chain runs exactly as in an app.
 */

/** The secret `JwtHolder` verifies with. */
export const APP_JWT_SECRET = 'composition-spec-secret';

/** A fixed `X-Key: letmein` header, as an app's own API-key strategy. */
class KeyHeaderStrategy extends Strategy {
  override authenticate(req: { headers: Record<string, unknown> }): void {
    if (req.headers['x-key'] === 'letmein') this.success({ username: 'key holder' });
    else this.fail(401);
  }
}
@Injectable()
export class KeyHeader extends PassportStrategy(KeyHeaderStrategy, 'x-key') {
  validate(): never {
    throw new Error('KeyHeaderStrategy decides in authenticate()');
  }
}

/** passport-anonymous's whole strategy: let the request through with no user. */
class AnonymousStrategy extends Strategy {
  override authenticate(): void {
    this.pass();
  }
}
@Injectable()
export class Anonymous extends PassportStrategy(AnonymousStrategy, 'anonymous') {
  validate(): never {
    throw new Error('AnonymousStrategy decides in authenticate()');
  }
}

/** passport-jwt as an app that also issues JWTs configures it: `Authorization: Bearer <jwt>`. */
@Injectable()
export class JwtHolder extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: APP_JWT_SECRET });
  }
  validate(payload: { sub: string }) {
    return { username: `jwt:${payload.sub}` };
  }
}
