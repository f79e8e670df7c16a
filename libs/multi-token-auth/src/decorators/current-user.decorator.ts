import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthRequest } from '../http/auth-request';

/**
 * The authenticated user (the app's own entity).
 *
 * @example
 * @Get('me') me(@CurrentUser() user: User) { return user; }
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthRequest>().user,
);
