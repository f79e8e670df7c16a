import { Logger } from '@nestjs/common';

function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * An optional peer dependency (`@nestjs/swagger`, `@nestjs/event-emitter`…) when the app has it,
 * `undefined` when it does not. Not installed is quiet; installed but broken (one of its own
 * dependencies missing, say) is logged with `without`, what the library then does without it.
 */
export function optionalPeer<T>(name: string, without: string): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, loaded only if installed
    return require(name) as T;
  } catch (error) {
    if (isInstalled(name))
      new Logger('MultiTokenAuth').warn(`${name} could not be loaded, ${without}: ${String(error)}`);
    return undefined;
  }
}
