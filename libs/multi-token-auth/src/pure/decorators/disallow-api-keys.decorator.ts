import { SetMetadata } from '@nestjs/common';
import { DISALLOW_API_KEYS_KEY } from '../../contracts/multi-token-auth.constants';

/**
 * API keys may not use the route (403 `api_key_not_allowed`): for actions that belong to the
 * account holder, not to a script (change the password, deactivate, create keys, end sessions).
 * The library's own routes for those carry it already.
 *
 * @example
 * @DisallowApiKeys() @Post('me/password') changePassword() {}
 */
export const DisallowApiKeys = (): MethodDecorator & ClassDecorator => SetMetadata(DISALLOW_API_KEYS_KEY, true);
