import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { GuardSteps } from './adapters/guards/guard-steps';
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
});
