import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * The docs as a newcomer reads them: the README (the npm page) short, every relative link and image
 * pointing at a file that exists and every `#anchor` at a heading of its page, and no line too long
 * to read as plain text.
 */
const ROOT = join(__dirname, '..');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => `docs/${name}`);
const FILES = ['README.md', 'CONTRIBUTING.md', 'apps/demo/README.md', ...DOCS];

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** The text outside fenced code blocks, fences blanked so that line numbers still match. */
function outsideCode(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/**
 * GitHub's anchor for a heading: the text as rendered (code spans and emphasis marks dropped, a
 * link's text kept), lower-cased, every character that is not a letter, mark, digit, connector
 * (`_`), hyphen or space dropped, then each space a hyphen.
 */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a page, in order: a repeated heading gets `-1`, `-2`… as GitHub numbers it. */
function anchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  return [...outsideCode(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map(([, text = '']) => {
    const base = slug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  });
}

interface Link {
  file: string;
  line: number;
  target: string;
}

/** The `[text](target)` and `![alt](target)` links of a page, code (fenced or inline) left out. */
function links(file: string): Link[] {
  const text = outsideCode(read(file)).replace(/`[^`]*`/g, (code) => code.replace(/[^\n]/g, ' '));
  return [...text.matchAll(/\[(?:[^[\]]|\[[^\]]*\])*\]\(([^()\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => ({
    file,
    line: text.slice(0, match.index).split('\n').length,
    target: match[1] ?? '',
  }));
}

/** Why a link does not resolve, or `undefined` when it does (other sites are not checked). */
function brokenBecause({ file, target }: Link): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
  const [path = '', anchor] = target.split('#');
  const resolved = path === '' ? file : relative(ROOT, join(ROOT, dirname(file), decodeURI(path)));
  if (resolved.startsWith('..') || !existsSync(join(ROOT, resolved))) return `no file ${resolved}`;
  if (anchor === undefined || !resolved.endsWith('.md')) return undefined;
  return anchors(read(resolved)).includes(decodeURIComponent(anchor))
    ? undefined
    : `no heading #${anchor} in ${resolved}`;
}

describe('the docs (README, CONTRIBUTING, docs/, the demo README)', () => {
  const all = FILES.flatMap(links);

  it('slugs headings as GitHub does', () => {
    expect(
      [
        'OpenAPI (Swagger)',
        "Moving a DRF app's users across",
        'Options from other providers (`forRootAsync`)',
        'The `Authorization` grammar',
        '503 means an outage, and only that',
        'Bad input is a fast, well-formed 4xx',
        'A [linked](x.md) `token_name`',
      ].map(slug),
    ).toEqual([
      'openapi-swagger',
      'moving-a-drf-apps-users-across',
      'options-from-other-providers-forrootasync',
      'the-authorization-grammar',
      '503-means-an-outage-and-only-that',
      'bad-input-is-a-fast-well-formed-4xx',
      'a-linked-token_name',
    ]);
    expect(anchors('# Tests\n\n```\n# not a heading\n```\n\n## Tests\n### Tests ##\n')).toEqual([
      'tests',
      'tests-1',
      'tests-2',
    ]);
  });

  it('finds the links it checks (a reader that found none would prove nothing)', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((link) => link.target.includes('#')).length).toBeGreaterThan(50);
  });

  it('README links to every page of docs/, the demo README and CONTRIBUTING.md', () => {
    const targets = new Set(links('README.md').map((link) => link.target.split('#')[0]));
    expect([...DOCS, 'apps/demo/README.md', 'CONTRIBUTING.md'].filter((page) => !targets.has(page))).toEqual([]);
  });

  it('every relative link and image resolves to a file, and every #anchor to a heading of it', () => {
    const broken = all.flatMap((link) => {
      const reason = brokenBecause(link);
      return reason === undefined ? [] : [`${link.file}:${link.line} (${link.target}): ${reason}`];
    });
    expect(broken).toEqual([]);
  });

  it('README.md, the npm page, is at most 300 lines', () => {
    expect(read('README.md').trimEnd().split('\n').length).toBeLessThanOrEqual(300);
  });

  it('reads as plain text: no line over 400 characters, no table row over 300', () => {
    const tooLong = FILES.flatMap((file) =>
      read(file)
        .split('\n')
        .map((line, index) => ({ file, line: index + 1, length: [...line].length, row: line.startsWith('|') }))
        .filter(({ length, row }) => length > (row ? 300 : 400))
        .map(({ file, line, length }) => `${file}:${line} is ${length} characters`),
    );
    expect(tooLong).toEqual([]);
  });
});
