import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * The layer order CONTRIBUTING.md gives, held on every import of the library's own source (type-only
 * imports included, specs and the test harness left out): a layer imports only the layers below it,
 * the module root anything, and no files import each other in a circle. Lint holds the first rule
 * in the editor (import zones in eslint.config.mjs); this spec holds both on the whole graph.
 */
const SRC = __dirname;
const LAYERS = ['contracts', 'pure', 'infrastructure', 'services', 'adapters'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The library files a file imports or re-exports, by relative specifier. */
function importsOf(file: string): string[] {
  const { importedFiles } = preProcessFile(readFileSync(file, 'utf8'), true, false);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name))
    .map((target) => [`${target}.ts`, join(target, 'index.ts')].find((candidate) => existsSync(candidate)))
    .filter((target): target is string => target !== undefined);
}

/** The layer's rank (0 = contracts); the module root ranks above every layer. */
function rankOf(file: string): number {
  const top = relative(SRC, file).split('/')[0];
  const rank = (LAYERS as readonly string[]).indexOf(top);
  return rank === -1 ? LAYERS.length : rank;
}

const graph = new Map(sourceFiles(SRC).map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(SRC, file);

/** Every circle of imports, as the files on it (Tarjan's strongly connected components). */
function circles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      component.push(name(member));
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe("the library's layers", () => {
  it('reads the whole library (a walk that found nothing would prove nothing)', () => {
    expect(graph.size).toBeGreaterThan(150);
    for (const layer of LAYERS)
      expect([...graph.keys()].some((file) => rankOf(file) === LAYERS.indexOf(layer))).toBe(true);
    expect([...graph.values()].flat().length).toBeGreaterThan(500);
  });

  it('has no import from a lower layer up', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => rankOf(target) > rankOf(file)).map((target) => `${name(file)} -> ${name(target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no circle of imports, type-only imports included', () => {
    expect(circles()).toEqual([]);
  });

  it('has no file over 250 lines', () => {
    const long = [...graph.keys()]
      .map((file) => ({ file: name(file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 250);
    expect(long).toEqual([]);
  });
});
