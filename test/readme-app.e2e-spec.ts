import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The README's minimal app is the consumer check's app: every code block whose info string names a
 * `src/` file must equal that file, so what users paste is what `npm run test:consumer` proves.
 */
const ROOT = join(__dirname, '..');

describe("the README's minimal app", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts (src\/\S+)\n([\s\S]*?)^```$/gm)].map(([, path, code]) => ({ path, code }));

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
