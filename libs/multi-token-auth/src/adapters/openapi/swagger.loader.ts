import { optionalPeer } from '../../pure/peers/optional-peer';

/** An OpenAPI schema object, as @nestjs/swagger takes it. */
export type OpenApiSchema = { [key: string]: unknown };

type Decorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => void;

/** The part of @nestjs/swagger the library's route documentation uses. */
export interface SwaggerDecorators {
  ApiTags(...tags: string[]): Decorator;
  ApiOperation(options: { summary: string; description?: string; operationId?: string; security?: [] }): Decorator;
  ApiBody(options: {
    schema?: OpenApiSchema;
    type?: abstract new (...args: never[]) => unknown;
    required?: boolean;
    description?: string;
  }): Decorator;
  ApiConsumes(...mimeTypes: string[]): Decorator;
  ApiQuery(options: { name: string; required: boolean; schema: OpenApiSchema; description: string }): Decorator;
  ApiParam(options: { name: string; schema: OpenApiSchema; description: string }): Decorator;
  ApiResponse(options: {
    status: number;
    description: string;
    schema?: OpenApiSchema;
    headers?: { [name: string]: { description: string; schema: OpenApiSchema } };
  }): Decorator;
  /** A scheme's name, or a whole requirement (`{}`: anonymous access allowed). */
  ApiSecurity(name: string | { [scheme: string]: string[] }): Decorator;
}

let loaded: SwaggerDecorators | null | undefined;

/**
 * @nestjs/swagger's decorators when the app has the package, `undefined` otherwise (looked up once).
 * An optional peer: an app without it installs nothing and its routes carry no OpenAPI metadata.
 */
export function optionalSwagger(): SwaggerDecorators | undefined {
  if (loaded === undefined) {
    loaded = optionalPeer<SwaggerDecorators>('@nestjs/swagger', 'routes are not documented') ?? null;
  }
  return loaded ?? undefined;
}
