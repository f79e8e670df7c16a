import { SetMetadata } from '@nestjs/common';
import { OPTIONAL_AUTH_KEY } from '../../contracts/multi-token-auth.constants';

/**
 * Authentication is optional on this route: a request **without** credentials goes through
 * anonymously (`@CurrentUser()` is `undefined`; client, scope and rate-limit checks do not apply);
 * one with credentials is authenticated as usual, and **bad** credentials are still a 401, never
 * silently downgraded to anonymous.
 *
 * @example
 * @OptionalAuth() @Get('hello') hello(@CurrentUser() user?: User) { return { user: user?.username ?? null }; }
 */
export const OptionalAuth = (): MethodDecorator & ClassDecorator => SetMetadata(OPTIONAL_AUTH_KEY, true);
