import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { transportOf } from '../transports/transport-call';

/**
 * The verified token record (id, client, name, expiry…), never the secret.
 *
 * @example
 * @Get('me') me(@CurrentToken() token: AuthToken) { return token.client.name; }
 */
export const CurrentToken = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => transportOf(context).req.authToken,
);
