import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface PackedLibrary {
  /** Absolute path of the tarball, as `npm pack` made it (prepack builds dist/ first). */
  tarball: string;
  /** Every path in the tarball, relative to its `package/` root. */
  files: string[];
}

const ROOT = resolve(__dirname, '../../..');

/** Packs the library workspace into a temp directory outside the repo, exactly as `npm publish` would. */
export function packLibrary(): PackedLibrary {
  const destination = mkdtempSync(join(tmpdir(), 'mta-pack-'));
  const output = execFileSync(
    'npm',
    ['pack', '--workspace', 'nestjs-multi-token-auth', '--pack-destination', destination, '--json', '--loglevel=error'],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // prepack's own output precedes the JSON report.
  const [report] = JSON.parse(output.slice(output.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  if (!report) throw new Error(`npm pack printed no report: ${output}`);
  return { tarball: join(destination, report.filename), files: report.files.map((file) => file.path).sort() };
}
