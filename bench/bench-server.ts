import 'reflect-metadata';
import { hash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Controller,
  Get,
  Injectable,
  Module,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { createVerifier } from 'fast-jwt';
import {
  MultiTokenAuthGuard,
  PassportBearerAuthGuard,
  ScryptPasswordHasher,
  TokenCodec,
  TokenService,
  TypeOrmTokenStore,
  type RevokedToken,
  type TokenTouch,
} from 'nestjs-multi-token-auth';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { User } from '../apps/demo/src/users/user.entity';
import { benchAuthModules } from './bench-database';
import { seedTokens } from './bench-seed';

/**
 * The benchmark's app: the same trivial handler behind no guard, the framework's floor for a 401,
 * both of our guards, and the stateless alternatives (a JwtService guard, a fast-jwt guard,
 * passport-jwt). Configured by the driver through the environment:
 * BENCH_DB (`sqlite` | `postgres`), BENCH_CACHE (`on` | `off`), BENCH_SEED (extra tokens in the
 * table), BENCH_ROTATE (valid tokens written to a file for rotating requests), BENCH_LOGIN (`on` |
 * `off`: mounts the login route, the user's password hashed at scrypt's default cost, with the
 * brute-force defences on, or off as before they existed), BENCH_STORE (`counting` | `library`).
 */
const SECRET = 'bench-secret-of-a-usual-length-for-hs256';
const env = (name: string, fallback: string) => process.env[name] ?? fallback;

/** Counts the store calls that matter: lookups on the hot path, and writes. */
class CountingStore extends TypeOrmTokenStore {
  lookups = 0;
  writes = 0;
  override findByDigest(digest: string) {
    this.lookups++;
    return super.findByDigest(digest);
  }
  override touchMany(touches: readonly TokenTouch[]) {
    this.writes++; // one statement for every token due in the flush
    return super.touchMany(touches);
  }
  override revoke(userId: string | number, filter: object): Promise<RevokedToken[]> {
    this.writes++;
    return super.revoke(userId, filter);
  }
}
let store: CountingStore | undefined;

@Injectable()
class FloorGuard implements CanActivate {
  canActivate(): boolean {
    throw new UnauthorizedException();
  }
}

@Injectable()
class NestJwtGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}
  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>().headers.authorization;
    try {
      this.jwt.verify(header?.slice(7) ?? '');
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}

/** The machinery's floor: a guard that only says yes. */
@Injectable()
class TrueGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

/** The ideal opaque-token guard, the limit for ours: a sha256 of the bearer value and a `Map` lookup. */
const idealTokens = new Map<string, { userId: number }>();
@Injectable()
class IdealGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>().headers.authorization;
    if (idealTokens.has(hash('sha256', header?.slice(7) ?? '', 'hex'))) return true;
    throw new UnauthorizedException();
  }
}

const verifyFast = createVerifier({ key: SECRET, algorithms: ['HS256'] });
@Injectable()
class FastJwtGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>().headers.authorization;
    try {
      verifyFast(header?.slice(7) ?? '');
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}

@Injectable()
class PassportJwt extends PassportStrategy(JwtStrategy, 'jwt') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: SECRET, algorithms: ['HS256'] });
  }
  validate(payload: object): object {
    return payload;
  }
}

@Controller()
class BenchController {
  @Get('open') open() {
    return { ok: true };
  }
  @UseGuards(FloorGuard) @Get('floor') floor() {
    return { ok: true };
  }
  @UseGuards(TrueGuard) @Get('true') yes() {
    return { ok: true };
  }
  @UseGuards(IdealGuard) @Get('ideal') ideal() {
    return { ok: true };
  }
  @UseGuards(MultiTokenAuthGuard) @Get('lean') lean() {
    return { ok: true };
  }
  @UseGuards(PassportBearerAuthGuard) @Get('passport') passport() {
    return { ok: true };
  }
  @UseGuards(NestJwtGuard) @Get('jwt-nest') jwtNest() {
    return { ok: true };
  }
  @UseGuards(FastJwtGuard) @Get('jwt-fast') jwtFast() {
    return { ok: true };
  }
  @UseGuards(AuthGuard('jwt')) @Get('jwt-passport') jwtPassport() {
    return { ok: true };
  }
  @Get('__stats') stats() {
    return { lookups: store?.lookups ?? 0, writes: store?.writes ?? 0, rss: process.memoryUsage().rss };
  }
}

async function main(): Promise<void> {
  const cacheOn = env('BENCH_CACHE', 'on') === 'on';
  const rotate = Number(env('BENCH_ROTATE', '0'));
  const login = env('BENCH_LOGIN', '');
  @Module({
    imports: [
      ...(await benchAuthModules(
        (dataSource) => (store = new CountingStore(dataSource, User)),
        {
          cache: cacheOn ? { maxEntries: Math.max(10_000, rotate * 2) } : false,
          // A service's client, for POST /auth/introspect (RFC 7662): its token holds auth:introspect.
          clients: [
            { name: 'web', tokenTtl: 86_400 },
            { name: 'service', tokenTtl: null, scopes: ['auth:introspect'] },
          ],
          ...(login === 'off' ? { loginAttempts: false as const, passwordChecks: false as const } : {}),
          // BENCH_STORE=library: the library's own store (an owner with its revocation journal and
          // feed, for the resource-server phase) rather than the counting one.
          ...(env('BENCH_STORE', 'counting') === 'library' ? { tokenStore: undefined } : {}),
        },
        true,
      )),
      JwtModule.register({ secret: SECRET }),
      PassportModule,
    ],
    controllers: [BenchController],
    providers: [TrueGuard, IdealGuard, FloorGuard, NestJwtGuard, FastJwtGuard, PassportJwt],
  })
  class BenchModule {}

  // BENCH_HTTP=fastify: the same app on Fastify, where the guard's share of a request is larger.
  // Either way the login bench tells clients apart by X-Forwarded-For (one proxy trusted).
  let app: NestExpressApplication | NestFastifyApplication;
  if (env('BENCH_HTTP', 'express') === 'fastify') {
    app = await NestFactory.create<NestFastifyApplication>(BenchModule, new FastifyAdapter({ trustProxy: 1 }), {
      logger: ['error'],
    });
  } else {
    const express = await NestFactory.create<NestExpressApplication>(BenchModule, { logger: ['error'] });
    express.set('trust proxy', 1);
    app = express;
  }
  await app.listen(0, '127.0.0.1');
  const dataSource = app.get(DataSource);
  const users = dataSource.getRepository(User);
  // The login bench checks real passwords at the library's default cost; the rest never hash.
  const passwordHash = await new ScryptPasswordHasher(login ? undefined : 2 ** 10).hash('bench password');
  const user = await users.save(users.create({ username: 'bench', passwordHash, isActive: true }));
  const { token } = await app.get(TokenService).issue(user, { client: 'web' });
  // The same guard with the lifecycle's in-memory checks at work: an allow-list (matched), metadata,
  // and a rate limit and a quota of its own that the run never reaches (every request counted and
  // spent, in memory).
  const { token: listedToken } = await app.get(TokenService).issue(user, {
    client: 'web',
    allowedIps: ['10.0.0.0/8', '192.168.0.0/16', '127.0.0.0/8', '::1'],
    metadata: { team: 'bench', plan: 'pro' },
    rateLimit: '999999999/1d',
    quota: { limit: 1_000_000_000 },
  });
  const service = await users.save(users.create({ username: 'service', passwordHash, isActive: true }));
  const { token: serviceToken } = await app
    .get(TokenService)
    .issue(service, { client: 'service', scopes: ['auth:introspect'] });
  const codec = app.get(TokenCodec);
  idealTokens.set(codec.digest(token), { userId: user.id });
  await seedTokens(dataSource, user.id, Number(env('BENCH_SEED', '0')), codec);
  let tokensFile: string | undefined;
  if (rotate > 0) {
    const tokens = await seedTokens(dataSource, user.id, rotate, codec);
    tokensFile = join(mkdtempSync(join(tmpdir(), 'mta-bench-tokens-')), 'tokens.txt');
    writeFileSync(tokensFile, tokens.join('\n'));
  }
  const jwt = app.get(JwtService).sign({ sub: user.id });
  const address = app.getHttpServer().address() as AddressInfo;
  // Well formed (its checksum holds) but never stored: what an unknown or revoked token looks like.
  const unknownToken = codec.generate();
  process.stdout.write(
    `${JSON.stringify({ port: address.port, token, listedToken, serviceToken, unknownToken, jwt, tokensFile })}\n`,
  );
}

// A normal exit on SIGTERM, so that `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => process.exit(0));
void main();
