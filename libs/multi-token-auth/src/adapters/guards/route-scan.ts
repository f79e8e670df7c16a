import type { Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD, type ApplicationConfig, type ModulesContainer } from '@nestjs/core';

/** What reaches a handler: Nest applies global guards to HTTP routes and GraphQL resolvers, never to gateways. */
export type HandlerKind = 'http' | 'graphql' | 'websocket';

/** One handler of the app: a route, a resolver field or a gateway message, with the guards `@UseGuards` puts on it. */
export interface ScannedHandler {
  type: Type<unknown>;
  method: string;
  handler: (...args: never[]) => unknown;
  kind: HandlerKind;
  /** Guard classes from `@UseGuards()` on the handler and on its class (an instance counts as its class). */
  guards: Type<unknown>[];
}

// The metadata keys @nestjs/graphql and @nestjs/websockets set on handlers; read by name so that
// neither optional peer has to be installed.
const GRAPHQL_RESOLVER_NAME = 'graphql:resolver_name';
const MESSAGE_MAPPING = 'websockets:message_mapping';

function kindOf(handler: object): HandlerKind | undefined {
  if (Reflect.getMetadata(MESSAGE_MAPPING, handler) === true) return 'websocket';
  // Set by @Query, @Mutation, @Subscription and @ResolveField, with the value `undefined` when unnamed.
  if (Reflect.hasMetadata(GRAPHQL_RESOLVER_NAME, handler)) return 'graphql';
  // `@Get()` stores RequestMethod.GET, which is 0: compare with undefined.
  if (
    Reflect.getMetadata(METHOD_METADATA, handler) !== undefined &&
    Reflect.getMetadata(PATH_METADATA, handler) !== undefined
  )
    return 'http';
  return undefined;
}

function guardTypes(target: object): Type<unknown>[] {
  const guards = (Reflect.getMetadata(GUARDS_METADATA, target) ?? []) as unknown[];
  return guards.flatMap((guard) => {
    if (typeof guard === 'function') return [guard as Type<unknown>];
    if (typeof guard === 'object' && guard !== null) return [guard.constructor as Type<unknown>];
    return [];
  });
}

/** Every method of `type`, inherited ones included (the most derived definition of each name). */
function methodsOf(type: Type<unknown>): [string, (...args: never[]) => unknown][] {
  const seen = new Map<string, (...args: never[]) => unknown>();
  for (
    let proto = type.prototype as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
      if (name !== 'constructor' && typeof value === 'function' && !seen.has(name)) {
        seen.set(name, value as (...args: never[]) => unknown);
      }
    }
  }
  return [...seen];
}

/** The class behind a provider or controller wrapper, when it is one (not a value or a factory's result). */
function classOf(wrapper: { metatype?: unknown; inject?: unknown; instance?: unknown }): Type<unknown> | undefined {
  if (typeof wrapper.metatype === 'function' && !wrapper.inject) return wrapper.metatype as Type<unknown>;
  return undefined;
}

/** The handlers of every controller, resolver and gateway of the app. */
export function scanHandlers(modules: ModulesContainer): ScannedHandler[] {
  const types = new Set<Type<unknown>>();
  for (const module of modules.values()) {
    for (const wrapper of [...module.controllers.values(), ...module.providers.values()]) {
      const type = classOf(wrapper);
      if (type) types.add(type);
    }
  }
  const handlers: ScannedHandler[] = [];
  for (const type of types) {
    for (const [method, handler] of methodsOf(type)) {
      const kind = kindOf(handler);
      if (kind) handlers.push({ type, method, handler, kind, guards: [...guardTypes(type), ...guardTypes(handler)] });
    }
  }
  return handlers;
}

/**
 * The classes of the app's global guards: `APP_GUARD` providers in any module, the library's own
 * `globalGuard: true` among them, and those `app.useGlobalGuards()` added, which live outside the
 * module graph, in Nest's `ApplicationConfig` (filled before `init()`, so before this runs; a guard
 * added after `init()` is not seen).
 */
export function globalGuardTypes(modules: ModulesContainer, config?: ApplicationConfig): Type<unknown>[] {
  const found: Type<unknown>[] = (config?.getGlobalGuards() ?? []).map(
    (guard) => (guard as object).constructor as Type<unknown>,
  );
  for (const module of modules.values()) {
    for (const [token, wrapper] of [...module.providers, ...module.injectables]) {
      // Nest registers each APP_GUARD provider under a token of its own, `APP_GUARD (UUID: …)`.
      if (typeof token !== 'string' || !token.startsWith(`${APP_GUARD} (`)) continue;
      const instance: unknown = wrapper.instance;
      const type =
        typeof instance === 'object' && instance !== null ? (instance.constructor as Type<unknown>) : classOf(wrapper);
      if (type) found.push(type);
    }
  }
  return found;
}
