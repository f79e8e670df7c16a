import { ACCOUNT_API_SCRIPT } from './account-api.script';
import { ACCOUNT_DOM_SCRIPT } from './account-dom.script';
import { ACCOUNT_KEYS_SCRIPT } from './account-keys.script';
import { ACCOUNT_MAIN_SCRIPT } from './account-main.script';
import { ACCOUNT_SESSIONS_SCRIPT } from './account-sessions.script';

/**
 * The page's ES modules by file name, as `/account/js/<name>` serves them. Browsers load modules
 * natively, so the sources are written as JavaScript and kept in TypeScript strings: `tsc` builds
 * them into `dist/` like any module, with no asset copying and no front-end toolchain.
 */
export const ACCOUNT_SCRIPTS: ReadonlyMap<string, string> = new Map([
  ['main.js', ACCOUNT_MAIN_SCRIPT],
  ['api.js', ACCOUNT_API_SCRIPT],
  ['dom.js', ACCOUNT_DOM_SCRIPT],
  ['sessions.js', ACCOUNT_SESSIONS_SCRIPT],
  ['keys.js', ACCOUNT_KEYS_SCRIPT],
]);
