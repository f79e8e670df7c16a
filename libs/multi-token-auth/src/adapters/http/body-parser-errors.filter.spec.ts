import {
  BadRequestException,
  Body,
  Controller,
  HttpException,
  Module,
  Post,
  type INestApplication,
} from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { BodyParserErrorsFilter, bodyParserAnswer } from './body-parser-errors.filter';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { body };
  }

  @Post('own-errors')
  ownErrors(@Body() body: { kind?: string }) {
    // The app's own exceptions, shaped like the ones Nest makes from parser errors: left alone.
    if (body.kind === 'bare') throw new HttpException('Too large for this plan', 413);
    throw new BadRequestException('JSON field "x" is wrong');
  }
}

/** The body parser's refusals get the library's shape on Express and on Fastify; other errors do not change. */
describe.each([
  ['Express', (): Promise<INestApplication> => NestFactory.create(AppModule, { logger: false })],
  [
    'Fastify',
    async (): Promise<INestApplication> => {
      const fastify = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
        logger: false,
      });
      return fastify;
    },
  ],
])('BodyParserErrorsFilter on %s', (platform, create) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await create();
    app.useGlobalFilters(new BodyParserErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
    await app.init();
    if (platform === 'Fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const post = (contentType: string, body: string) =>
    request(app.getHttpServer()).post('/echo').set('Content-Type', contentType).send(body);

  it.each([
    { what: 'malformed JSON', type: 'application/json', body: '{"a":', status: 400, code: 'invalid_json' },
    { what: 'trailing garbage', type: 'application/json', body: '{"a":1}}', status: 400, code: 'invalid_json' },
    {
      what: 'a body over the limit',
      type: 'application/json',
      body: JSON.stringify({ a: 'x'.repeat(1_100_000) }),
      status: 413,
      code: 'body_too_large',
    },
  ])('$what: $status {statusCode, message, error, code: $code}', async ({ type, body, status, code }) => {
    const res = await post(type, body).expect(status);
    expect(Object.keys(res.body as object).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
    expect(res.body).toMatchObject({ statusCode: status, code });
  });

  const fields = (count: number) => Array.from({ length: count }, (_, i) => `f${i}=1`).join('&');

  it('a form with more fields than the parser allows is 413 body_too_large (Express: parameterLimit 1 000); Fastify has no such limit', async () => {
    await post('application/x-www-form-urlencoded', fields(1000)).expect(201);
    const res = await post('application/x-www-form-urlencoded', fields(1001));
    if (platform === 'Express') {
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        statusCode: 413,
        message: 'The request body has too many form parameters.',
        error: 'Payload Too Large',
        code: 'body_too_large',
      });
    } else {
      // fast-querystring counts nothing: only the body limit bounds a form, answered below.
      expect(res.status).toBe(201);
      expect(Object.keys((res.body as { body: object }).body)).toHaveLength(1001);
    }
  });

  it('a form over the body limit is 413 body_too_large on both platforms', async () => {
    const res = await post('application/x-www-form-urlencoded', `a=${'x'.repeat(1_100_000)}`).expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'body_too_large' });
  });

  it('form brackets nested past 32 levels: 400 body_too_deep on Express (Fastify does not read brackets)', async () => {
    const res = await post('application/x-www-form-urlencoded', `a${'[b]'.repeat(40)}=1`);
    if (platform === 'Express') {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        message: 'The request body is nested too deeply.',
        error: 'Bad Request',
        code: 'body_too_deep',
      });
    } else {
      expect(res.status).toBe(201);
    }
  });

  it('a valid body passes untouched', async () => {
    await post('application/json', '{"a":1}').expect(201, { body: { a: 1 } });
  });

  it("leaves the app's own exceptions as they are, even when they look like the parser's", async () => {
    const own = request(app.getHttpServer()).post('/own-errors');
    const bare = await own.send({ kind: 'bare' }).expect(413);
    expect(bare.body).toEqual({ statusCode: 413, message: 'Too large for this plan' });
    const bad = await request(app.getHttpServer()).post('/own-errors').send({}).expect(400);
    expect(bad.body).toEqual({ statusCode: 400, message: 'JSON field "x" is wrong', error: 'Bad Request' });
  });
});

@Module({ controllers: [EchoController] })
class AppModule {}

describe('bodyParserAnswer', () => {
  it("leaves the app's own http-errors (a 404 from a middleware) alone, and takes body-parser's", () => {
    expect(bodyParserAnswer(Object.assign(new Error('Not Found'), { status: 404, expose: true }))).toBeUndefined();
    expect(bodyParserAnswer(new TypeError('x'))).toBeUndefined();
    expect(
      bodyParserAnswer(Object.assign(new Error('x'), { status: 413, type: 'entity.too.large' }))?.getStatus(),
    ).toBe(413);
    const inflate = Object.assign(new Error('Bad Request'), {
      status: 400,
      expose: true,
      errno: -3,
      code: 'Z_DATA_ERROR',
    });
    expect(bodyParserAnswer(inflate)?.getResponse()).toMatchObject({ code: 'bad_request' });
  });

  it("a parser's 413 or 415 it does not know by type still carries the code of its status, never bad_request", () => {
    const unknown413 = Object.assign(new Error('x'), { status: 413, type: 'some.future.limit' });
    expect(bodyParserAnswer(unknown413)?.getResponse()).toMatchObject({ statusCode: 413, code: 'body_too_large' });
    const fastify415 = Object.assign(new Error('x'), { statusCode: 415, code: 'FST_ERR_CTP_SOMETHING_NEW' });
    expect(bodyParserAnswer(fastify415)?.getResponse()).toMatchObject({
      statusCode: 415,
      code: 'unsupported_media_type',
    });
  });
});
