/**
 * `nestjs-multi-token-auth/testing`: what an app's own tests need.
 *
 * - Test its protected routes without the login flow: real tokens through the real guards
 *   (`issueTestToken`), and a clock the test moves (`ManualClock` in place of `Clock`).
 * - Hold its own store, cache or attempt counter to the library's contract: the conformance suites
 *   the library's implementations run (`describeTokenStore`, `describeTokenCache`,
 *   `describeLoginAttemptStore`), registered with Jest's or Vitest's test functions.
 *
 * @example
 * const clock = new ManualClock();
 * const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(Clock)
 *   .useValue(clock)
 *   .compile();
 *
 * Only what this file exports is published; the rest of this folder is the repository's own harness.
 */
export { issueTestToken, type TestToken, type TestTokenOptions } from './test-token.issuer';
export { Clock } from '../contracts/clock/clock.interface';
export { ManualClock } from '../contracts/clock/manual.clock';
export { describeTokenStore, type TokenStoreHarness } from './token-store.conformance';
export { describeTokenCache } from './token-cache.conformance';
export { describeLoginAttemptStore, type LoginAttemptStoreHarness } from './login-attempt-store.conformance';
export type { ConformanceExpectation, ConformanceTestApi } from './conformance.api';
