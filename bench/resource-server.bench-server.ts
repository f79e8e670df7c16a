import 'reflect-metadata';
import { Controller, Get, Injectable, Module, UseGuards, type ExecutionContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { MultiTokenAuthGuard, MultiTokenAuthModule, Public, TokenVerifier } from 'nestjs-multi-token-auth';
import type { RemoteTokenVerifier } from '../libs/multi-token-auth/src/services/remote/remote-token.verifier';

/**
 * The resource-server bench's app (`forResourceServer()`): the same trivial handler open, behind
 * `MultiTokenAuthGuard` with the verified-token cache warm, and behind a guard that empties the
 * cache first (every request one introspection: the cost of a miss). BENCH_OWNER_URL is the bench's
 * owning app; BENCH_SERVICE_KEY its key holding auth:introspect.
 */
@Injectable()
class MissGuard extends MultiTokenAuthGuard {
  override canActivate(context: ExecutionContext): Promise<boolean> {
    (this.verifier as unknown as RemoteTokenVerifier).applyRemote({ all: true });
    return super.canActivate(context);
  }
}

@Controller()
class ResourceBenchController {
  @Public() @Get('open') open() {
    return { ok: true };
  }
  @UseGuards(MultiTokenAuthGuard) @Get('lean') lean() {
    return { ok: true };
  }
  @UseGuards(MissGuard) @Get('miss') miss() {
    return { ok: true };
  }
}

async function main(): Promise<void> {
  const owner = process.env.BENCH_OWNER_URL ?? '';
  @Module({
    imports: [
      MultiTokenAuthModule.forResourceServer({
        introspection: { url: `${owner}/auth/introspect`, apiKey: process.env.BENCH_SERVICE_KEY ?? '' },
      }),
    ],
    controllers: [ResourceBenchController],
    providers: [MissGuard],
  })
  class ResourceBenchModule {}
  const app = await NestFactory.create<NestExpressApplication>(ResourceBenchModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  app.get(TokenVerifier); // resolved: the module is up
  const address = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
}

process.once('SIGTERM', () => process.exit(0));
void main();
