import { Controller, Get, Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Agent, get } from 'node:http';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { KeepAliveCloser, SILENT_MS } from './keep-alive.closer';

/** Answers `/slow` when the spec says so; `/fast` at once. */
@Controller()
class PollController {
  static release: () => void = () => undefined;

  @Get('slow')
  slow(): Promise<string> {
    return new Promise((answer) => (PollController.release = () => answer('slow')));
  }

  @Get('fast')
  fast(): string {
    return 'fast';
  }
}

@Module({ controllers: [PollController], providers: [KeepAliveCloser] })
class WithCloser {}

@Module({ controllers: [PollController] })
class WithoutCloser {}

type Create = (module: Type) => Promise<INestApplication>;
interface Answer {
  status?: number;
  connection?: string;
  error?: string;
  socket?: Socket;
}

const express: Create = (module) => NestFactory.create(module, { logger: false });
const fastify: Create = (module) =>
  NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: false });
const TLS = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'tls');
const httpsOptions = {
  key: readFileSync(join(TLS, 'localhost-test-only.key')),
  cert: readFileSync(join(TLS, 'localhost-test-only.crt')),
};

/**
 * The app of `module`, with one connection opened by `openSilent` that sends nothing, closed
 * against 3 s: whether it finished closing, and when (the connection is ended after).
 */
async function closeBesideSilent(
  create: Create,
  module: Type,
  openSilent: (port: number) => Promise<Socket>,
): Promise<{ outcome: string; ms: number }> {
  const { app, port } = await listening(create, module);
  const silent = await openSilent(port);
  const started = Date.now();
  const closing = app.close();
  const outcome = await Promise.race([
    closing.then(() => 'closed'),
    new Promise((wait) => setTimeout(wait, 3000)).then(() => 'still open after 3 s'),
  ]);
  const ms = Date.now() - started;
  silent.destroy();
  await closing;
  return { outcome, ms };
}

const tcpSilent = async (port: number): Promise<Socket> => {
  const socket = connect(port, '127.0.0.1');
  await new Promise((connected) => socket.once('connect', connected));
  return socket;
};

const tlsSilent = async (port: number): Promise<Socket> => {
  const socket = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false });
  await new Promise((connected) => socket.once('secureConnect', connected));
  return socket;
};

/** One GET on the keep-alive agent: its status, `Connection` header and socket, or the error's code. */
function ask(agent: Agent, port: number, path: string): Promise<Answer> {
  return new Promise((done) => {
    get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode, connection: res.headers.connection, socket: res.socket }));
    }).on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
  });
}

async function listening(create: Create, module: Type): Promise<{ app: INestApplication; port: number }> {
  const app = await create(module);
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer() as { address(): AddressInfo }).address().port };
}

/**
 * A client that polls without pause over one keep-alive connection (a resource server reading the
 * revocation feed, a busy one introspecting), with a request in flight when `app.close()` closes
 * the server. Polls until the app has closed, or for 3 s; with `poll` false, asks nothing more (the
 * connection is left idle after its answer) and waits for the close.
 */
async function pollThroughClose(create: Create, module: Type, poll = true) {
  const { app, port } = await listening(create, module);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  expect(await ask(agent, port, '/fast')).toMatchObject({ status: 200, connection: 'keep-alive' });
  const inFlight = ask(agent, port, '/slow');
  await new Promise((wait) => setTimeout(wait, 50));
  const started = Date.now();
  let closed = false;
  const closing = app.close().then(() => (closed = true));
  await new Promise((wait) => setTimeout(wait, 50));
  PollController.release();
  const slow = await inFlight;
  const answers: Answer[] = [];
  if (poll) {
    while (!closed && Date.now() - started < 3000) answers.push(await ask(agent, port, '/fast'));
    agent.destroy();
  }
  await closing;
  agent.destroy();
  return { slow, answers, closedAfterMs: Date.now() - started };
}

describe.each([
  ['Express', express],
  ['Fastify', fastify],
])('KeepAliveCloser on %s', (name, create) => {
  it('once shutdown begins, an answer closes its connection; nothing changes before', async () => {
    const { app, port } = await listening(create, WithCloser);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await ask(agent, port, '/fast')).toMatchObject({ status: 200, connection: 'keep-alive' });
      app.get(KeepAliveCloser).beforeApplicationShutdown();
      const after = await ask(agent, port, '/fast');
      expect(after).toMatchObject({ status: 200, connection: 'close' });
      // The server ended that connection after the answer (the next one is a new connection).
      if (!after.socket?.closed) await new Promise((ended) => after.socket?.once('close', ended));
      expect(after.socket?.closed).toBe(true);
      expect(await ask(agent, port, '/fast')).toMatchObject({ status: 200, connection: 'close' });
    } finally {
      agent.destroy();
      await app.close();
    }
  });

  it('the app finishes closing while a client polls over keep-alive; the request in flight is answered', async () => {
    const { slow, answers, closedAfterMs } = await pollThroughClose(create, WithCloser);
    expect(slow).toMatchObject({ status: 200 });
    // Long before the 3 s the client would have gone on polling.
    expect(closedAfterMs).toBeLessThan(1000);
    // At most one more answer on the connection, and it said so; then the server was gone.
    expect(answers.filter((answer) => answer.status).length).toBeLessThanOrEqual(1);
    for (const answer of answers)
      expect(answer.connection ?? answer.error).toMatch(/^(close|ECONNREFUSED|ECONNRESET)$/);
  });

  it('a connection left idle after the answer in flight is closed at once, not after keep-alive’s 5 s', async () => {
    const { slow, closedAfterMs } = await pollThroughClose(create, WithCloser, false);
    expect(slow).toMatchObject({ status: 200 });
    expect(closedAfterMs).toBeLessThan(1000);
  }, 10_000);

  it('a connection that has sent nothing (a proxy connecting ahead) does not hold the close; without it, it does', async () => {
    const { outcome, ms } = await closeBesideSilent(create, WithCloser, tcpSilent);
    expect(outcome).toBe('closed');
    // Left alone SILENT_MS after it was accepted (a request may be on its way), then closed.
    expect(ms).toBeLessThan(SILENT_MS + 500);
    expect((await closeBesideSilent(create, WithoutCloser, tcpSilent)).outcome).toBe('still open after 3 s');
  });

  it('without it, Express stays open as long as the client polls; Fastify answers 503 on its own', async () => {
    const { answers, closedAfterMs } = await pollThroughClose(create, WithoutCloser);
    if (name === 'Express') {
      expect(closedAfterMs).toBeGreaterThanOrEqual(3000);
      expect(answers.every((answer) => answer.status === 200 && answer.connection === 'keep-alive')).toBe(true);
    } else {
      // Fastify's return503OnClosing: the closer does nothing there that Fastify did not.
      expect(answers[0]).toMatchObject({ status: 503, connection: 'close' });
    }
  });
});

describe('KeepAliveCloser over HTTPS (Express)', () => {
  const https: Create = (module) => NestFactory.create(module, { logger: false, httpsOptions });

  it('a TLS connection that finished its handshake and sent nothing does not hold the close; without it, it does', async () => {
    expect((await closeBesideSilent(https, WithCloser, tlsSilent)).outcome).toBe('closed');
    expect((await closeBesideSilent(https, WithoutCloser, tlsSilent)).outcome).toBe('still open after 3 s');
  });
});
