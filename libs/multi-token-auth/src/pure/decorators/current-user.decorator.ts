import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { transportOf } from '../transports/transport-call';

/**
 * The authenticated user: the app's own entity, as loaded with the token. Pick the fields you
 * answer with; returning the entity itself would send its password hash.
 *
 * @example
 * @Get('me') me(@CurrentUser() user: User) { return { id: user.id, username: user.username }; }
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => transportOf(context).req.user,
);
