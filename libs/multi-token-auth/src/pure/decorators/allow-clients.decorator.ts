import { SetMetadata } from '@nestjs/common';
import { ALLOW_CLIENTS_KEY } from '../../contracts/multi-token-auth.constants';

/**
 * Only tokens of these clients may use the route; others get 403. A handler's list overrides its
 * controller's. Checked after authentication, so a missing or bad token is still 401.
 *
 * @example
 * @AllowClients('web') @Get('web-only') webOnly() {}
 */
export const AllowClients = (...clients: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_CLIENTS_KEY, clients);
