import { Inject } from '@nestjs/common';
import { RESOLVED_OPTIONS } from './multi-token-auth.constants';

/**
 * Injects the module's options as the library uses them: every default applied, every value
 * checked, the clients merged (`ResolvedMultiTokenAuthOptions`). How the library's own services and
 * guards receive them, and how an app's subclass of one of them, or any provider of the app,
 * reaches the settings it extends; as `@InjectThrottlerOptions()` does for @nestjs/throttler.
 *
 * @example
 * @Injectable()
 * export class AuditedGuard extends MultiTokenAuthGuard {
 *   constructor(@InjectMultiTokenAuthOptions() private readonly options: ResolvedMultiTokenAuthOptions) {
 *     super();
 *   }
 * }
 */
export function InjectMultiTokenAuthOptions(): PropertyDecorator & ParameterDecorator {
  return Inject(RESOLVED_OPTIONS);
}
