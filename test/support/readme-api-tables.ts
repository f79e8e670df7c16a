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

/** One row of the API tables: `POST /auth/login`, its auth, and the statuses and codes it lists. */
export interface TableRow {
  method: string;
  path: string;
  auth: string;
  statuses: Map<number, string[]>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * The API tables, read as a user reads them: the library's routes (docs/http-api.md, "Built-in
 * routes"), then the demo's (apps/demo/README.md, "Routes").
 */
export function readmeApiTables(): TableRow[] {
  return [...tableRows('docs/http-api.md', 'Built-in routes'), ...tableRows('apps/demo/README.md', 'Routes')];
}

/**
 * The rows of the table under `## heading` in `file`. A row's answer cells open each item with a
 * status: "**201** `{…}`", "400 validation; 400 `unknown_client`; …; 401, 403", "200 / 403". Where the
 * table keeps its cells short, the list under it gives each route's answers in full, one nested item
 * per cell ("- `POST /auth/login` `{…}`", then "  - **201** …", "  - 400 validation; …"): the codes
 * are read there, and its statuses must be the row's.
 */
function tableRows(file: string, heading: string): TableRow[] {
  const markdown = readFileSync(join(ROOT, file), 'utf8');
  const from = markdown.indexOf(`\n## ${heading}\n`);
  if (from < 0) throw new Error(`${file} has no "## ${heading}" section`);
  const next = markdown.indexOf('\n## ', from + 1);
  const section = markdown.slice(from, next < 0 ? undefined : next);
  const notes = routeNotes(section);
  return section
    .split('\n')
    .filter((line) => /^\| `(GET|POST|PUT|PATCH|DELETE) /.test(line))
    .map((line) => {
      const [route = '', auth = '', ...answers] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const [method = '', path = ''] = routeOf(route);
      const row = {
        method: method.toLowerCase(),
        path: path.replace(/:(\w+)/g, '{$1}'),
        auth,
        statuses: statusesOf(answers),
      };
      const note = notes.get(`${method} ${path}`);
      if (note === undefined) return row;
      const statuses = statusesOf(note);
      if ([...row.statuses.keys()].sort().join() !== [...statuses.keys()].sort().join()) {
        throw new Error(
          `${file}: the table and the list under it give ${method} ${path} different statuses: ${[...row.statuses.keys()].sort().join()} vs ${[...statuses.keys()].sort().join()}`,
        );
      }
      return {
        ...row,
        statuses: new Map([...row.statuses.keys()].map((status) => [status, statuses.get(status) ?? []])),
      };
    });
}

/** `` `POST /auth/login` `{…}` `` → `['POST', '/auth/login']` (the query string left out). */
function routeOf(text: string): [string, string] {
  const [, method = '', target = ''] = /^`(\w+) ([^`?]+)/.exec(text) ?? [];
  return [method, target];
}

/** The statuses of answer cells (or items), each with the codes (`` `invalid_token` ``) it names. */
function statusesOf(answers: string[]): Map<number, string[]> {
  const statuses = new Map<number, string[]>();
  for (const item of answers.join('; ').split(/;\s*|\s\/\s/)) {
    for (const [, status, rest = ''] of item.matchAll(/(?:^|,\s*)\**(\d{3})\b\**([^,]*)/g)) {
      const codes = [...rest.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map(([, code]) => code);
      statuses.set(Number(status), [...(statuses.get(Number(status)) ?? []), ...codes]);
    }
  }
  return statuses;
}

/** The list under a table: "METHOD path" → the text of each nested item, continuation lines joined. */
function routeNotes(section: string): Map<string, string[]> {
  const notes = new Map<string, string[]>();
  let items: string[] | undefined;
  for (const line of section.split('\n')) {
    if (line.startsWith('- `')) {
      const [method, path] = routeOf(line.slice(2));
      items = [];
      notes.set(`${method} ${path}`, items);
    } else if (items && line.startsWith('  - ')) {
      items.push(line.slice(4).trim());
    } else if (items && items.length > 0 && line.startsWith('    ')) {
      items[items.length - 1] += ` ${line.trim()}`;
    } else {
      items = undefined;
    }
  }
  return notes;
}

/** The keys of `body` fit `schema`: every required one present, none it does not describe. */
export function expectShape(body: Record<string, unknown>, schema: Schema | undefined): void {
  expect(schema?.type).toBe('object');
  expect(Object.keys(body).filter((key) => !(key in (schema?.properties ?? {})))).toEqual([]);
  expect((schema?.required ?? []).filter((key) => !(key in body))).toEqual([]);
}
