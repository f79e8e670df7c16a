import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../../contracts/multi-token-auth.constants';

/**
 * Lets a route through `MultiTokenAuthGuard` without a token (useful with `globalGuard: true`).
 *
 * @example
 * @Public() @Get('health') health() { return { status: 'ok' }; }
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
