import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** One finding of `redocly lint`, as its JSON output gives it. */
export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

/**
 * Runs `redocly lint --extends recommended` (Redocly CLI, a devDependency) on `document`, written to
 * a temp file, with no config of the repo's and no network (telemetry and update checks off):
 * each problem as `severity rule pointer: message`, and the totals.
 */
export function redoclyLint(document: object): { problems: string[]; totals: { errors: number; warnings: number } } {
  const dir = mkdtempSync(join(tmpdir(), 'mta-redocly-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    const args = ['lint', 'openapi.json', '--extends', 'recommended', '--format', 'json'];
    const run = runTool('@redocly/cli', 'redocly', args, dir);
    const start = run.stdout.indexOf('{');
    if (start < 0) throw new Error(`redocly lint printed no report (exit ${run.status}): ${run.stderr}`);
    const report = JSON.parse(run.stdout.slice(start)) as {
      totals: { errors: number; warnings: number };
      problems: LintProblem[];
    };
    const problems = report.problems.map(
      (problem) => `${problem.severity} ${problem.ruleId} ${problem.location[0]?.pointer ?? ''}: ${problem.message}`,
    );
    return { problems, totals: { errors: report.totals.errors, warnings: report.totals.warnings } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a devDependency's command-line tool (its package.json `bin`) with the current Node, in `cwd`, offline. */
function runTool(pkg: string, command: string, args: string[], cwd: string) {
  const manifest = require.resolve(`${pkg}/package.json`);
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin[command];
  if (!bin) throw new Error(`${pkg} has no ${command} command`);
  const run = spawnSync(process.execPath, [join(dirname(manifest), bin), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  return run;
}

/**
 * Generates `api.d.ts` from `document` with openapi-typescript's CLI (what a client team runs), puts
 * each snippet beside it as `<name>.ts`, and compiles them in one program with `tsc --strict` (plus
 * `noUncheckedIndexedAccess` and `exactOptionalPropertyTypes`): the compiler's messages for each
 * snippet, `[]` when it compiles.
 */
export function compileAgainstGeneratedTypes(
  document: object,
  snippets: Record<string, string>,
): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mta-openapi-ts-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    // A child process: openapi-typescript's dependencies are ES modules, which Jest's runtime cannot require.
    const generate = runTool('openapi-typescript', 'openapi-typescript', ['openapi.json', '--output', 'api.d.ts'], dir);
    if (generate.status !== 0) throw new Error(`openapi-typescript failed: ${generate.stderr}`);
    const files = Object.keys(snippets).map((name) => join(dir, `${name}.ts`));
    for (const [name, snippet] of Object.entries(snippets)) writeFileSync(join(dir, `${name}.ts`), snippet);
    const program = ts.createProgram(files, {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
    });
    const messages = (file?: string) =>
      ts
        .getPreEmitDiagnostics(program, file === undefined ? undefined : program.getSourceFile(file))
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    // Problems outside the snippets (the generated file, the options) would make every snippet fail.
    const global = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...ts.getPreEmitDiagnostics(program, program.getSourceFile(join(dir, 'api.d.ts'))),
    ];
    if (global.length > 0)
      throw new Error(global.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; '));
    return Object.fromEntries(Object.keys(snippets).map((name, index) => [name, messages(files[index])]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
