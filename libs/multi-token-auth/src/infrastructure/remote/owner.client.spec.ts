import { Logger } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedResourceServer } from '../../pure/options/resource-server.checks';
import { OwnerClient, OwnerUnavailableError } from './owner.client';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A stand-in for the owner on a local port, answering as each test says. */
describe('OwnerClient (HTTP to the app that owns the tokens)', () => {
  let server: Server;
  let handler: Handler;
  let base: string;
  const settings = (timeoutMs = 2000): ResolvedResourceServer => ({
    introspectionUrl: `${base}/auth/introspect`,
    revocationsUrl: `${base}/auth/revocations`,
    apiKey: 'mta_key',
    timeoutMs,
    cacheMaxEntries: 10,
    cacheTtlMs: 1000,
  });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => handler(req, body, res));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('introspects as RFC 7662 says: a form with the token, the service key as bearer', async () => {
    let seen: { auth?: string; type?: string; body?: string } = {};
    handler = (req, body, res) => {
      seen = { auth: req.headers.authorization, type: req.headers['content-type'], body };
      json(res, 200, { active: true, sub: '1', client_id: 'web', jti: 'id', exp: 10, scope: 'a b' });
    };
    const answer = await new OwnerClient(settings()).introspect('mta_tok+en/=');
    expect(answer).toMatchObject({ sub: '1', client_id: 'web', scope: 'a b' });
    expect(seen).toEqual({
      auth: 'Bearer mta_key',
      type: 'application/x-www-form-urlencoded',
      body: 'token=mta_tok%2Ben%2F%3D&token_type_hint=access_token',
    });
  });

  it('{active: false} is null; an answer that is not RFC 7662 is an outage, never an accept', async () => {
    handler = (_req, _body, res) => json(res, 200, { active: false });
    expect(await new OwnerClient(settings()).introspect('t')).toBeNull();
    for (const odd of [{ active: 'yes' }, { active: true, sub: 1 }, [], 'true', { active: true, sub: '1' }]) {
      handler = (_req, _body, res) => json(res, 200, odd);
      await expect(new OwnerClient(settings()).introspect('t')).rejects.toBeInstanceOf(OwnerUnavailableError);
    }
  });

  it('a 5xx, a 401 (the key refused: logged once a minute) and a redirect are outages', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const client = new OwnerClient(settings());
      handler = (_req, _body, res) => json(res, 503, { code: 'auth_unavailable' });
      await expect(client.introspect('t')).rejects.toThrow('answered 503');
      handler = (_req, _body, res) => json(res, 401, { code: 'invalid_token' });
      await expect(client.introspect('t')).rejects.toThrow("refused this service's API key (401)");
      await expect(client.introspect('t')).rejects.toBeInstanceOf(OwnerUnavailableError);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0][0])).not.toContain('mta_key');
      handler = (_req, _body, res) => {
        res.writeHead(302, { location: 'http://example.com/' });
        res.end();
      };
      await expect(client.introspect('t')).rejects.toBeInstanceOf(OwnerUnavailableError);
    } finally {
      errors.mockRestore();
    }
  });

  it('a hung owner: refused at the timeout', async () => {
    handler = () => undefined;
    const started = performance.now();
    await expect(new OwnerClient(settings(100)).introspect('t')).rejects.toBeInstanceOf(OwnerUnavailableError);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('an answer past 1 MB is refused as it arrives', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"active":false,"pad":"${'x'.repeat(1024 * 1024)}"}`);
    };
    await expect(new OwnerClient(settings()).read(`${base}/auth/revocations`, 2000)).rejects.toThrow(
      /more than 1048576 bytes|of \d+ bytes/,
    );
  });

  it('owner down (nothing listening): an outage', async () => {
    const client = new OwnerClient({ ...settings(), introspectionUrl: 'http://127.0.0.1:1/auth/introspect' });
    await expect(client.introspect('t')).rejects.toBeInstanceOf(OwnerUnavailableError);
  });
});
