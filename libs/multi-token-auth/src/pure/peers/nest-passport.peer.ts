import type * as NestPassport from '@nestjs/passport';

/** The installed versions the check compares, as their package.json files give them. */
export interface NestPassportVersions {
  core: string;
  passport: string;
}

const majorOf = (version: string) => version.split('.')[0] ?? version;

/**
 * Why `@nestjs/passport` does not fit the app's NestJS, or `undefined` when it does. npm installs
 * the newest `@nestjs/passport` the library's peer range allows, and 12 declares NestJS 11 as a
 * peer too, so a NestJS 11 app gets 12 unless it asks for 11. The app then runs on Node, but 12 is
 * an ES module, which Jest (CommonJS) cannot load: "Must use import to load ES Module", in every
 * test that imports the app. The majors have to match.
 */
export function nestPassportProblem(versions: NestPassportVersions): string | undefined {
  const core = majorOf(versions.core);
  if (majorOf(versions.passport) === core) return undefined;
  return (
    `nestjs-multi-token-auth: @nestjs/passport ${versions.passport} is installed beside @nestjs/core ` +
    `${versions.core}; their major versions must match (a NestJS 11 app under Jest cannot load the ` +
    `ES-module-only @nestjs/passport 12). Install the one for your NestJS: npm install @nestjs/passport@^${core}`
  );
}

function installedVersion(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy this library resolves, as the app runs it
  return (require(`${name}/package.json`) as { version: string }).version;
}

// Checked before @nestjs/passport is loaded: under Jest, loading the wrong one is itself the failure.
const problem = nestPassportProblem({
  core: installedVersion('@nestjs/core'),
  passport: installedVersion('@nestjs/passport'),
});
if (problem) throw new Error(problem);

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only once the check above passed
const nestPassport = require('@nestjs/passport') as typeof NestPassport;

/** `@nestjs/passport`'s `AuthGuard` and `PassportStrategy`, once its version is known to fit. */
export const { AuthGuard, PassportStrategy } = nestPassport;
