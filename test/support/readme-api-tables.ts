import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of an OpenAPI 3.0 document the specs read. */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
}
export interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>;
}
export interface Document {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
}

/** One row of the README's API tables: `POST /auth/login`, its auth, and the statuses and codes it lists. */
export interface TableRow {
  method: string;
  path: string;
  auth: string;
  statuses: Map<number, string[]>;
}

/** The README's "HTTP API" tables (the library's routes, then the demo's), read as a user reads them. */
export function readmeApiTables(): TableRow[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const from = readme.indexOf('\n## HTTP API\n');
  const section = readme.slice(from, readme.indexOf('\n## ', from + 1));
  return section
    .split('\n')
    .filter((line) => /^\| `(GET|POST|PUT|PATCH|DELETE) /.test(line))
    .map((line) => {
      const [route = '', auth = '', ...answers] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const [, method = '', target = ''] = /^`(\w+) ([^`?]+)/.exec(route) ?? [];
      const statuses = new Map<number, string[]>();
      // "**201** `{…}`", "400 validation; 400 `unknown_client`; …; 401, 403", "200 / 403": a status opens each item.
      for (const item of answers.join('; ').split(/;\s*|\s\/\s/)) {
        for (const [, status, rest = ''] of item.matchAll(/(?:^|,\s*)\**(\d{3})\b\**([^,]*)/g)) {
          const codes = [...rest.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map(([, code]) => code);
          statuses.set(Number(status), [...(statuses.get(Number(status)) ?? []), ...codes]);
        }
      }
      return { method: method.toLowerCase(), path: target.replace(/:(\w+)/g, '{$1}'), auth, statuses };
    });
}

/** The keys of `body` fit `schema`: every required one present, none it does not describe. */
export function expectShape(body: Record<string, unknown>, schema: Schema | undefined): void {
  expect(schema?.type).toBe('object');
  expect(Object.keys(body).filter((key) => !(key in (schema?.properties ?? {})))).toEqual([]);
  expect((schema?.required ?? []).filter((key) => !(key in body))).toEqual([]);
}
