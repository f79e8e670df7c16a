import { Injectable, Logger, Optional, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer, Reflector } from '@nestjs/core';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import { ALLOW_CLIENTS_KEY, DISALLOW_CLIENTS_KEY } from '../../contracts/multi-token-auth.constants';
import { ClientThrottlerGuard } from './client-throttler.guard';
import { ClientAccessGuard } from './client-access.guard';
import { MultiTokenAuthGuard } from './multi-token-auth.guard';
import { PassportBearerAuthGuard } from './passport-bearer-auth.guard';
import { readRoutePolicy, type RoutePolicy } from '../../pure/decorators/route-policy';
import { globalGuardTypes, scanHandlers, type ScannedHandler } from './route-scan';
import { ScopeGuard } from './scope.guard';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** What the start-up route check looks at; `trustedGuards` are the app's own that enforce every decorator. */
export interface RouteCheckInput {
  handlers: ScannedHandler[];
  globalGuards: Type<unknown>[];
  trustedGuards: Type<unknown>[];
  knownClients: ReadonlySet<string>;
  reflector: Reflector;
}

/** A decorator of the route, and the guards besides the two bearer guards that enforce it on their own. */
type Demand = [decorator: string, enforcers: Type<unknown>[]];

function demands(policy: RoutePolicy): Demand[] {
  const all: [boolean, Demand][] = [
    [policy.allow !== undefined, ['@AllowClients', [ClientAccessGuard]]],
    [policy.deny !== undefined, ['@DisallowClients', [ClientAccessGuard]]],
    [policy.denyApiKeys, ['@DisallowApiKeys', [ClientAccessGuard]]],
    [policy.allScopes.length > 0, ['@RequireScopes', [ScopeGuard]]],
    [policy.anyScopes.length > 0, ['@RequireAnyScope', [ScopeGuard]]],
    [policy.grantedScopes.length > 0, ['@RequireGrantedScopes', [ScopeGuard]]],
    [policy.rateLimited, ['@ClientRateLimit', [ClientThrottlerGuard]]],
    // Only a bearer guard lets an anonymous request through while still authenticating the others.
    [policy.optional, ['@OptionalAuth', []]],
    // Only a bearer guard spends the route's cost (a guard that only authenticates spends 1).
    [policy.cost !== 1, ['@TokenCost', []]],
  ];
  return all.filter(([present]) => present).map(([, demand]) => demand);
}

const isA = (guard: Type<unknown>, base: Type<unknown>) => guard === base || guard.prototype instanceof base;

function label({ type, method }: ScannedHandler): string {
  return `${type.name}.${method}()`;
}

/** Handlers whose library decorators no guard on their path enforces (served unchecked otherwise). */
function unguarded(input: RouteCheckInput, handler: ScannedHandler): string | undefined {
  const policy = readRoutePolicy(input.reflector, handler.handler, handler.type);
  // A @Public() route asks for nothing, whatever else it carries.
  if (policy.isPublic) return undefined;
  // Nest runs global guards for HTTP routes and GraphQL resolvers, never for gateway messages.
  const guards = [...(handler.kind === 'websocket' ? [] : input.globalGuards), ...handler.guards];
  const full = [MultiTokenAuthGuard, PassportBearerAuthGuard, ...input.trustedGuards];
  if (guards.some((guard) => full.some((base) => isA(guard, base)))) return undefined;
  const missing = demands(policy)
    .filter(([, enforcers]) => !guards.some((guard) => enforcers.some((base) => isA(guard, base))))
    .map(([decorator]) => decorator);
  if (missing.length === 0) return undefined;
  return `${label(handler)} (${handler.kind}) has ${missing.join(', ')} but no guard on its path enforces ${missing.length > 1 ? 'them' : 'it'}.`;
}

/** `@AllowClients` / `@DisallowClients` names that no configured or stored client has. */
function unknownClients(input: RouteCheckInput, handler: ScannedHandler): string[] {
  const problems: string[] = [];
  for (const [key, decorator] of [
    [ALLOW_CLIENTS_KEY, '@AllowClients'],
    [DISALLOW_CLIENTS_KEY, '@DisallowClients'],
  ] as const) {
    for (const target of [handler.handler, handler.type]) {
      for (const name of input.reflector.get<string[] | undefined>(key, target) ?? []) {
        if (input.knownClients.has(name)) continue;
        const where = target === handler.type ? handler.type.name : label(handler);
        problems.push(
          `${decorator}('${name}') on ${where}: no client "${name}" in the clients option or the auth_clients table.`,
        );
      }
    }
  }
  return problems;
}

/** Every problem the check finds, one line each (empty when the app is sound). */
export function routePolicyProblems(input: RouteCheckInput): string[] {
  const problems = input.handlers.flatMap((handler) => [
    ...unknownClients(input, handler),
    ...[unguarded(input, handler)].filter((problem): problem is string => problem !== undefined),
  ]);
  // A decorator on a class repeats for each of its handlers.
  return [...new Set(problems)];
}

const UNGUARDED_FIX =
  'Guard these with @UseGuards(MultiTokenAuthGuard) on the handler or its class, or pass globalGuard: true to ' +
  'MultiTokenAuthModule.forRoot() (beside useFactory with forRootAsync()); a gateway needs @UseGuards, as global ' +
  "guards never run there. After a guard that only authenticates, such as AuthGuard('multi-token-bearer'), add " +
  'ClientAccessGuard, ScopeGuard or ClientThrottlerGuard, or use PassportBearerAuthGuard. A guard of your own that ' +
  'enforces these decorators goes in the routeCheck.guards option.';

/**
 * Checks the app's routes once it is wired: every client `@AllowClients` / `@DisallowClients` names
 * exists (a typo would refuse everyone, or let the client it meant to refuse through), and every
 * handler carrying the library's decorators is reached by a guard that enforces them (without one,
 * `@AllowClients('web')` would serve every client). Either is a start-up error naming the handler.
 *
 * Only when the app serves requests, i.e. has an HTTP adapter (`NestFactory.create`, a testing
 * module's `createNestApplication()`). Under `NestFactory.createApplicationContext()` (a script, the
 * legacy import, a tool that creates clients with `ClientAdmin`) no route, resolver or gateway is
 * reachable, and that tool may be what creates the client a route names: unknown clients are then
 * logged as a warning and the guard check is skipped (global guards from `useGlobalGuards()`, which
 * such a context cannot have, would otherwise be missing).
 */
@Injectable()
export class RoutePolicyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('MultiTokenAuth');

  constructor(
    private readonly modules: ModulesContainer,
    private readonly reflector: Reflector,
    private readonly clients: ClientRegistry,
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
    @Optional() private readonly appConfig?: ApplicationConfig,
  ) {}

  onApplicationBootstrap(): void {
    // After every onModuleInit: the registry has loaded the configured clients and the stored ones.
    const input: RouteCheckInput = {
      handlers: scanHandlers(this.modules),
      globalGuards: globalGuardTypes(this.modules, this.appConfig),
      trustedGuards: this.options.routeCheck.guards,
      knownClients: new Set(this.clients.list().map((client) => client.name)),
      reflector: this.reflector,
    };
    // `undefined` or `null` (Nest's application context sets it to what it was given: nothing).
    if (!this.adapterHost?.httpAdapter) {
      const unknown = [...new Set(input.handlers.flatMap((handler) => unknownClients(input, handler)))];
      if (unknown.length > 0) {
        this.logger.warn(
          `${unknown.join(' ')} Started without an HTTP adapter (an application context), so this is not an ` +
            'error here; the app that serves these routes will refuse to start until the client exists.',
        );
      }
      return;
    }
    const problems = routePolicyProblems(input);
    if (problems.length === 0) return;
    const fixes = [
      problems.some((problem) => problem.includes('no guard')) && UNGUARDED_FIX,
      problems.some((problem) => problem.includes('no client')) &&
        `Known clients: ${this.clients
          .list()
          .map((client) => client.name)
          .join(
            ', ',
          )}. Correct the name, add the client to the clients option, or create it (ClientAdmin) before the app starts.`,
    ].filter(Boolean);
    throw new Error(`multi-token-auth: ${problems.join(' ')} ${fixes.join(' ')}`);
  }
}
