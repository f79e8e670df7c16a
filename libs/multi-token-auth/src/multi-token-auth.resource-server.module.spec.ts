import { Controller, Get, Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { GuardSteps } from './adapters/guards/guard-steps';
import { KeepAliveCloser } from './adapters/http/keep-alive.closer';
import { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
import { CurrentUser } from './pure/decorators/current-user.decorator';
import { RequireScopes } from './pure/decorators/require-scopes.decorator';
import { MultiTokenAuthModule } from './multi-token-auth.module';
import { TokenCodec } from './pure/tokens/token.codec';
import { RemoteTokenVerifier } from './services/remote/remote-token.verifier';
import { TokenVerifier } from './services/tokens/token.verifier';
import type { IntrospectedUser } from './contracts/introspected-user';

const codec = new TokenCodec('mta');

@Controller()
class ProbeController {
  @RequireScopes('orders:read')
  @Get('probe')
  probe(@CurrentUser() user: IntrospectedUser): IntrospectedUser {
    return user;
  }
}

/**
 * `forResourceServer()` in a Nest app with no database, no TypeORM data source and no user entity:
 * the guards resolve over the remote verifier, and a request goes through introspection and the feed
 * of a stand-in owner.
 */
describe('MultiTokenAuthModule.forResourceServer()', () => {
  let owner: Server;
  let ownerUrl: string;
  let app: INestApplication;
  const alice = codec.generate();
  const reads: string[] = [];

  beforeAll(async () => {
    owner = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        reads.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url === '/auth/introspect') {
          const token = new URLSearchParams(body).get('token');
          res.end(
            JSON.stringify(
              token === alice
                ? { active: true, sub: '1', username: 'alice', client_id: 'web', jti: 'j1', scope: 'orders:read' }
                : { active: false },
            ),
          );
        } else if (req.url === '/auth/revocations') res.end(JSON.stringify({ head: 0, positions: [] }));
        else res.end(JSON.stringify({ entries: [] }));
      });
    });
    await new Promise<void>((listening) => owner.listen(0, '127.0.0.1', listening));
    ownerUrl = `http://127.0.0.1:${(owner.address() as AddressInfo).port}`;
    const module = await Test.createTestingModule({
      imports: [
        MultiTokenAuthModule.forResourceServer({
          introspection: { url: `${ownerUrl}/auth/introspect`, apiKey: codec.generate() },
          globalGuard: true,
        }),
      ],
      controllers: [ProbeController],
    }).compile();
    app = module.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    owner.closeAllConnections();
    owner.close();
  });

  it('resolves the same guard classes over the remote verifier', () => {
    expect(app.get(TokenVerifier)).toBeInstanceOf(RemoteTokenVerifier);
    expect(app.get(GuardSteps)).toBeInstanceOf(GuardSteps);
    expect(app.get(MultiTokenAuthGuard)).toBeInstanceOf(MultiTokenAuthGuard);
    // The service's own server exits on SIGTERM whatever its clients hold open, as the owner's.
    expect(app.get(KeepAliveCloser)).toBeInstanceOf(KeepAliveCloser);
  });

  it('a token the owner calls active passes the global guard with its scopes; others are 401', async () => {
    const ok = await request(app.getHttpServer()).get('/probe').set('Authorization', `Bearer ${alice}`).expect(200);
    expect(ok.body).toEqual({ id: '1', username: 'alice' });
    const other = await request(app.getHttpServer())
      .get('/probe')
      .set('Authorization', `Bearer ${codec.generate()}`)
      .expect(401);
    expect(other.body).toMatchObject({ code: 'invalid_token' });
    await request(app.getHttpServer()).get('/probe').expect(401);
    expect(reads).toContain('/auth/revocations');
  });

  it('bad options fail at start-up, with the fix', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        MultiTokenAuthModule.forResourceServer({
          introspection: { url: 'http://x.example/auth/introspect', apiKey: 'k' },
        }),
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(/allowInsecureHttp/);
  });

  describe('forResourceServerAsync()', () => {
    /** A stand-in for the app's config service, in a module of its own. */
    @Injectable()
    class Settings {
      ownerUrl = '';
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}

    const compile = (async: Parameters<typeof MultiTokenAuthModule.forResourceServerAsync>[0]) =>
      Test.createTestingModule({
        imports: [MultiTokenAuthModule.forResourceServerAsync(async)],
        controllers: [ProbeController],
      })
        .overrideProvider(Settings)
        .useValue({ ownerUrl })
        .compile();

    it('takes its options from a factory given other providers; the global guard beside it guards every route', async () => {
      const module = await compile({
        imports: [SettingsModule],
        inject: [Settings],
        useFactory: async (settings: Settings) => {
          await Promise.resolve();
          return { introspection: { url: `${settings.ownerUrl}/auth/introspect`, apiKey: codec.generate() } };
        },
        globalGuard: true,
        isGlobal: false,
      });
      const asyncApp = module.createNestApplication({ logger: false });
      await asyncApp.init();
      try {
        expect(asyncApp.get(TokenVerifier)).toBeInstanceOf(RemoteTokenVerifier);
        const ok = await request(asyncApp.getHttpServer()).get('/probe').set('Authorization', `Bearer ${alice}`);
        expect(ok.status).toBe(200);
        expect(ok.body).toEqual({ id: '1', username: 'alice' });
        // globalGuard beside useFactory took effect: no token, 401 (not an open route).
        expect((await request(asyncApp.getHttpServer()).get('/probe')).status).toBe(401);
      } finally {
        await asyncApp.close();
      }
    });

    it('the module shape returned by the factory fails at start-up (it would leave every route unguarded)', async () => {
      const introspection = { url: 'http://127.0.0.1:1/auth/introspect', apiKey: codec.generate() };
      await expect(compile({ useFactory: () => ({ introspection, globalGuard: true }) })).rejects.toThrow(
        'globalGuard was returned by the forResourceServerAsync() factory, where it cannot take effect',
      );
      await expect(compile({ useFactory: () => ({ introspection, isGlobal: false }) })).rejects.toThrow(
        /isGlobal was returned by the forResourceServerAsync\(\) factory/,
      );
    });

    it('an option beside useFactory, a missing factory or a bad shape fails where the module is defined', () => {
      const introspection = { url: 'http://127.0.0.1:1/auth/introspect', apiKey: codec.generate() };
      const define = (async: unknown) => () =>
        MultiTokenAuthModule.forResourceServerAsync(
          async as Parameters<typeof MultiTokenAuthModule.forResourceServerAsync>[0],
        );
      expect(define({ useFactory: () => ({ introspection }), introspection })).toThrow(
        'forResourceServerAsync() got "introspection" beside useFactory',
      );
      expect(define({ useFactory: () => ({ introspection }), globalGaurd: true })).toThrow(/"globalGaurd".*typo/);
      expect(define({})).toThrow('forResourceServerAsync() needs useFactory');
      expect(define({ useClass: Settings })).toThrow(
        'forResourceServerAsync() takes useFactory, not useClass: with a class F of yours, useFactory: (f: F) => f.create()',
      );
      // Each refusal says where to fix it: forResourceServer(), not forRoot().
      expect(define({ useFactory: () => ({ introspection }), introspection })).toThrow(
        /Check the options passed to MultiTokenAuthModule\.forResourceServer\(\) \/ forResourceServerAsync\(\)\.$/,
      );
      expect(define({ useFactory: () => ({ introspection }), globalGuard: 'yes' })).toThrow(
        /globalGuard must be true or false/,
      );
    });

    it('a factory that returns nothing fails at start-up, naming the factory', async () => {
      await expect(compile({ useFactory: () => undefined as never })).rejects.toThrow(
        'the forResourceServerAsync() factory returned undefined, not the options object (a missing return?)',
      );
    });

    it('the factory’s options are checked as forResourceServer()’s are', async () => {
      await expect(
        compile({ useFactory: () => ({ introspection: { url: 'http://x.example/auth/introspect', apiKey: 'k' } }) }),
      ).rejects.toThrow(/allowInsecureHttp/);
    });
  });
});
