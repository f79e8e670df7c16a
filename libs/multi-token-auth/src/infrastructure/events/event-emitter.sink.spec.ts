import { Injectable, Logger, type ModuleMetadata } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import type { MultiTokenAuthOptions } from '../../contracts/multi-token-auth.options';
import { setup } from '../../testing/setup.fixture';
import { TokenService } from '../../services/tokens/token.service';
import { AuthEventName } from '../../contracts/events/auth-event.names';
import type { TokenCreatedEvent, TokenRevokedEvent } from '../../contracts/events/auth-event.payloads';
import type { AuthEventSink } from '../../contracts/events/auth-event-sink.interface';

@Injectable()
class Listener {
  readonly created: TokenCreatedEvent[] = [];
  readonly revoked: TokenRevokedEvent[] = [];

  @OnEvent(AuthEventName.TokenCreated)
  onCreated(event: TokenCreatedEvent): void {
    this.created.push(event);
  }

  @OnEvent(AuthEventName.TokenRevoked)
  onRevoked(event: TokenRevokedEvent): void {
    this.revoked.push(event);
  }
}

async function start(options: Partial<MultiTokenAuthOptions>, metadata: ModuleMetadata = {}) {
  const fixture = await setup({ apiKeyClient: null, clients: [{ name: 'web', tokenTtl: 3600 }], ...options }, metadata);
  const user = await fixture.createUser('alice');
  return { module: fixture.module, user, tokens: fixture.module.get(TokenService) };
}

describe('where events go', () => {
  afterEach(() => jest.restoreAllMocks());

  it('to @OnEvent listeners when the app imports EventEmitterModule', async () => {
    const { module, user, tokens } = await start(
      {},
      { imports: [EventEmitterModule.forRoot()], providers: [Listener] },
    );
    const { record } = await tokens.issue(user, { client: 'web' });
    await tokens.revoke(user.id, record.id, 'logout');
    const listener = module.get(Listener);
    expect(listener.created.map((event) => event.tokenId)).toEqual([record.id]);
    expect(listener.revoked).toEqual([
      expect.objectContaining({ tokenId: record.id, reason: 'logout', client: 'web' }),
    ]);
    await module.close();
  });

  it('an async listener that rejects is logged, never an unhandled rejection', async () => {
    @Injectable()
    class FailingListener {
      @OnEvent(AuthEventName.TokenCreated, { suppressErrors: false })
      async onCreated(): Promise<void> {
        await Promise.resolve();
        throw new Error('audit table down');
      }
    }
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const { module, user, tokens } = await start(
        {},
        { imports: [EventEmitterModule.forRoot()], providers: [FailingListener] },
      );
      await tokens.issue(user, { client: 'web' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(error).toHaveBeenCalledWith(expect.stringContaining('audit table down'));
      expect(unhandled).not.toHaveBeenCalled();
      await module.close();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('nowhere, silently, when the app has the package but not the module', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const { module, user, tokens } = await start({});
    const { record } = await tokens.issue(user, { client: 'web' });
    expect(await tokens.revoke(user.id, record.id)).toBe(true);
    expect(warn).not.toHaveBeenCalled();
    await module.close();
  });

  it('nowhere, silently, when @nestjs/event-emitter is not installed', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    await jest.isolateModulesAsync(async () => {
      jest.doMock('@nestjs/event-emitter', () => {
        throw Object.assign(new Error("Cannot find module '@nestjs/event-emitter'"), { code: 'MODULE_NOT_FOUND' });
      });
      const { EventEmitterSink } = await import('./event-emitter.sink');
      const sink = new EventEmitterSink({ get: () => ({ emit: () => undefined }) } as never);
      expect(() => sink.emit(AuthEventName.TokenCreated, {})).not.toThrow();
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it('to the eventSink option, in order; a sink that throws is logged and the change still stands', async () => {
    const received: [string, object][] = [];
    const sink: AuthEventSink = { emit: (name, payload) => received.push([name, payload]) };
    const { module, user, tokens } = await start({
      eventSink: sink,
      clients: [{ name: 'web', tokenTtl: 3600, maxTokensPerUser: 1 }],
    });
    const first = await tokens.issue(user, { client: 'web' });
    const second = await tokens.issue(user, { client: 'web' });
    expect(received.map(([name, payload]) => [name, (payload as { tokenId: string }).tokenId])).toEqual([
      [AuthEventName.TokenCreated, first.record.id],
      [AuthEventName.TokenRevoked, first.record.id],
      [AuthEventName.TokenCreated, second.record.id],
    ]);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    sink.emit = () => {
      throw new Error('queue down');
    };
    expect(await tokens.revoke(user.id, second.record.id, 'logout')).toBe(true);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('queue down'));
    expect(await tokens.list(user.id)).toEqual([]);
    await module.close();
  });

  it('refuses an eventSink without emit() at start-up', async () => {
    await expect(start({ eventSink: {} as AuthEventSink })).rejects.toThrow(/eventSink/);
  });
});
