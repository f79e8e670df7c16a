import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The cached Node 24 LTS directory (scripts/node24.sh downloads it once from the npm registry). */
export function node24(): string {
  const script = resolve(__dirname, '../../../scripts/node24.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export { freePort } from '../../../libs/multi-token-auth/src/testing/free-port';
