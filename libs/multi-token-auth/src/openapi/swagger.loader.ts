import { Logger } from '@nestjs/common';

/** An OpenAPI schema object, as @nestjs/swagger takes it. */
export type OpenApiSchema = { [key: string]: unknown };

type Decorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => void;

/** The part of @nestjs/swagger the library's route documentation uses. */
export interface SwaggerDecorators {
  ApiTags(...tags: string[]): Decorator;
  ApiOperation(options: { summary: string; description?: string; operationId?: string }): Decorator;
  ApiBody(options: { schema: OpenApiSchema; required?: boolean; description?: string }): Decorator;
  ApiQuery(options: { name: string; required: boolean; schema: OpenApiSchema; description: string }): Decorator;
  ApiParam(options: { name: string; schema: OpenApiSchema; description: string }): Decorator;
  ApiResponse(options: {
    status: number;
    description: string;
    schema?: OpenApiSchema;
    headers?: { [name: string]: { description: string; schema: OpenApiSchema } };
  }): Decorator;
  ApiSecurity(name: string): Decorator;
}

let loaded: SwaggerDecorators | null | undefined;

function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * @nestjs/swagger's decorators when the app has the package, `undefined` otherwise (looked up once).
 * An optional peer: an app without it installs nothing and its routes carry no OpenAPI metadata.
 */
export function optionalSwagger(): SwaggerDecorators | undefined {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, loaded only if installed
      loaded = require('@nestjs/swagger') as SwaggerDecorators;
    } catch (error) {
      // Not installed is quiet; installed but broken (one of its own dependencies missing) is said.
      if (isInstalled('@nestjs/swagger')) {
        new Logger('MultiTokenAuth').warn(
          `@nestjs/swagger could not be loaded, routes are not documented: ${String(error)}`,
        );
      }
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
