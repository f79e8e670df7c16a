/**
 * `nestjs-multi-token-auth/testing`: what an app's own tests need to test its protected routes
 * without the login flow. Real tokens through the real guards, and a clock the test moves:
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
