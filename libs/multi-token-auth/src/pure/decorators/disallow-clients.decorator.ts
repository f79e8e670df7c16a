import { SetMetadata } from '@nestjs/common';
import { DISALLOW_CLIENTS_KEY } from '../../contracts/multi-token-auth.constants';

/**
 * Tokens of these clients may not use the route (403). A handler's list overrides its controller's.
 *
 * @example
 * @DisallowClients('cli') @Get('not-cli') notCli() {}
 */
export const DisallowClients = (...clients: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(DISALLOW_CLIENTS_KEY, clients);
