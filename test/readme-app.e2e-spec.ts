import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The minimal app of docs/getting-started.md is the consumer check's app: every code block whose info
 * string names a `src/` file must equal that file, so what users paste is what `npm run test:consumer`
 * proves.
 */
const ROOT = join(__dirname, '..');
const GUIDE = 'docs/getting-started.md';

describe(`the minimal app of ${GUIDE}`, () => {
  const guide = readFileSync(join(ROOT, GUIDE), 'utf8');
  const blocks = [...guide.matchAll(/^```ts (src\/\S+)\n([\s\S]*?)^```$/gm)].map(([, path, code]) => ({ path, code }));

  it('shows every file of the app', () => {
    expect(blocks.map((block) => block.path).sort()).toEqual([
      'src/account.controller.ts',
      'src/account.module.ts',
      'src/app.module.ts',
      'src/main.ts',
      'src/migrations/1795420000000-create-users.ts',
      'src/user.entity.ts',
    ]);
  });

  it.each(blocks.map((block) => [block.path, block.code]))('%s is the file the consumer check runs', (path, code) => {
    expect(code).toBe(readFileSync(join(ROOT, 'test/consumer/app', path), 'utf8'));
  });
});

/**
 * "Testing your app": its Jest config, tsconfig and test are the files with which the consumer
 * check's NestJS 11 app runs its own Jest e2e test against the packed library.
 */
describe(`"Testing your app" in ${GUIDE}`, () => {
  const guide = readFileSync(join(ROOT, GUIDE), 'utf8');
  const from = guide.indexOf('\n## Testing your app\n');
  const next = guide.indexOf('\n## ', from + 1);
  const section = guide.slice(from, next < 0 ? undefined : next);
  const blocks = [...section.matchAll(/^```(?:js|json|ts) (\S+)\n([\s\S]*?)^```$/gm)].map(([, path, code]) => ({
    path,
    code,
  }));
  const FILES: Record<string, string> = {
    'jest.config.js': 'test/consumer/fixtures/nest11-express-sqlite/jest.config.js',
    'tsconfig.spec.json': 'test/consumer/fixtures/nest11-express-sqlite/tsconfig.spec.json',
    'test/app.e2e-spec.ts': 'test/consumer/app/test/app.e2e-spec.ts',
  };

  it('shows the Jest config, its tsconfig and the test', () => {
    expect(blocks.map((block) => block.path)).toEqual(Object.keys(FILES));
  });

  it.each(blocks.map((block) => [block.path, block.code]))('%s is the file the consumer check runs', (path, code) => {
    expect(code).toBe(readFileSync(join(ROOT, FILES[path] ?? path), 'utf8'));
  });

  it('is run by the NestJS 11 consumer app, on the @nestjs/passport its install line names', () => {
    const manifest = JSON.parse(
      readFileSync(join(ROOT, 'test/consumer/fixtures/nest11-express-sqlite/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(manifest.dependencies['@nestjs/passport']).toBe('^11.0.5');
    expect(Object.keys(manifest.devDependencies)).toEqual(
      expect.arrayContaining(['jest', 'ts-jest', 'supertest', '@nestjs/testing']),
    );
    expect(guide).toContain('npm install @nestjs/passport@^11');
  });
});
