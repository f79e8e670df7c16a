import { ValidationPipe, type INestApplication, type LoggerService } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'body-parser';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { setUpApiDocs } from './docs/api-docs.setup';
import type { DemoConfig } from './config/demo.config';
import {
  BodyLimitsInterceptor,
  BodyParserErrorsFilter,
  type Clock,
  type ScryptPasswordHasher,
} from 'nestjs-multi-token-auth';

/** Builds the demo app (used by main.ts and by the e2e tests, so both run the same wiring). */
export async function createDemoApp(
  config: DemoConfig,
  deps: { logger?: LoggerService; hasher?: ScryptPasswordHasher; clock?: Clock } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, deps), {
    logger: deps.logger,
    // Start-up errors (a bad client setting, say) reach the caller instead of exiting the process.
    abortOnError: false,
    // The bytes of each JSON body kept as received (req.rawBody): GitHub's secret-scanning reports
    // are signed over them (POST /auth/leaked-tokens).
    rawBody: true,
  });
  // The library's floor for bad input, on the demo's own routes too: deep or NUL-laden bodies are a
  // 400 before any pipe, and the body parser's errors get the same {statusCode, message, error, code}.
  // GitHub's secret-scanning reports hold up to 1 000 matches (about 200 KB): over Express's default
  // 100 KB JSON limit, which every other route keeps. Registered before Nest's own parsers (at
  // init), so this one reads that route's body, with its bytes kept for the signature as rawBody does.
  const leakReports = json({
    limit: '1mb',
    verify: (req: IncomingMessage & { rawBody?: Buffer }, _res, bytes) => {
      req.rawBody = bytes;
    },
  });
  // Named apart from `jsonParser`: Nest skips its own JSON parser when it finds a layer of that name.
  const leakReportParser: typeof leakReports = (req, res, next) => leakReports(req, res, next);
  app.use('/auth/leaked-tokens', leakReportParser);
  app.useGlobalInterceptors(new BodyLimitsInterceptor());
  app.useGlobalFilters(new BodyParserErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  // Express announces itself in `X-Powered-By` on every answer: a free hint for an attacker's
  // fingerprinting, of no use to a client. (Fastify sends no such header.)
  app.disable('x-powered-by');
  // The client IP (login limits, sessions' "where from") comes from X-Forwarded-For only behind a proxy.
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  app.enableShutdownHooks();
  setUpApiDocs(app);
  return app;
}
