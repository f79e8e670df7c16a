import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { ManualClock, ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import request from 'supertest';
import { loadDemoConfig } from '../../apps/demo/src/config/demo.config';
import { createDemoApp } from '../../apps/demo/src/demo.app';
import { CapturingLogger } from './capturing.logger';

export interface LoginResult {
  token: string;
  id: string;
  client: string;
  name: string | null;
  expiresAt: string | null;
  scopes: string[] | null;
  user: { id: number; username: string };
}

/** A token row as stored: what the tests read back from the SQLite file. */
export interface TokenRow {
  id: string;
  user_id: number;
  client_id: number;
  name: string | null;
  digest: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  user_agent: string | null;
  ip: string | null;
  /** Space-separated, or `NULL` for every scope of the client. */
  scopes: string | null;
}

/**
 * The demo app, as main.ts builds it, on a real SQLite file in a fresh temp directory, with a
 * manual clock, a log capture and a second (read-only) connection for asserting stored state.
 */
export async function startDemo(env: Record<string, string> = {}, reuse?: { databaseFile: string }) {
  // `reuse`: restart on the database another demo left (what a redeploy with new settings sees).
  const dir = reuse ? dirname(reuse.databaseFile) : mkdtempSync(join(tmpdir(), 'mta-e2e-'));
  const config = loadDemoConfig({ DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`, ...env });
  const clock = new ManualClock(new Date());
  const logs = new CapturingLogger();
  const app: INestApplication = await createDemoApp(config, {
    logger: logs,
    clock,
    hasher: new ScryptPasswordHasher(2 ** 10),
  });
  await app.init();
  const databaseFile = join(dir, 'demo.sqlite');
  const db = new Database(databaseFile, { readonly: true });
  const http = () => request(app.getHttpServer());

  const demo = {
    app,
    http,
    db,
    dir,
    clock,
    logs,
    databaseFile,
    tokens: (userId?: number): TokenRow[] =>
      userId === undefined
        ? (db.prepare('SELECT * FROM auth_tokens ORDER BY created_at').all() as TokenRow[])
        : (db.prepare('SELECT * FROM auth_tokens WHERE user_id = ? ORDER BY created_at').all(userId) as TokenRow[]),
    clientId: (name: string): number =>
      (db.prepare('SELECT id FROM auth_clients WHERE name = ?').get(name) as { id: number }).id,
    async register(username = 'alice', password = 'correct horse'): Promise<{ id: number; username: string }> {
      return (await http().post('/users').send({ username, password }).expect(201)).body;
    },
    async login(username = 'alice', client = 'web', extra: Record<string, unknown> = {}): Promise<LoginResult> {
      const res = await http()
        .post('/auth/login')
        .send({ username, password: 'correct horse', client, ...extra })
        .expect(201);
      return res.body as LoginResult;
    },
    /** An API key made by the session `token` (with the account's password, as the route requires). */
    async apiKey(token: string, name = 'key', extra: Record<string, unknown> = {}): Promise<LoginResult> {
      const res = await http()
        .post('/auth/api-keys')
        .set({ Authorization: `Bearer ${token}` })
        .send({ name, password: 'correct horse', ...extra })
        .expect(201);
      return res.body as LoginResult;
    },
    auth: (token: string) => ({ Authorization: `Bearer ${token}` }),
    async close(): Promise<void> {
      db.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return demo;
}

export type Demo = Awaited<ReturnType<typeof startDemo>>;
