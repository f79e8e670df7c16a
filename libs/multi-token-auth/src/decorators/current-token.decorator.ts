import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthRequest } from '../http/auth-request';

/**
 * The verified token record (id, client, name, expiry…), never the secret.
 *
 * @example
 * @Get('me') me(@CurrentToken() token: AuthToken) { return token.client.name; }
 */
export const CurrentToken = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthRequest>().authToken,
);
