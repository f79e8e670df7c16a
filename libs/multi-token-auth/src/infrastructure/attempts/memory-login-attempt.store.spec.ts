import { ManualClock } from '../../contracts/clock/manual.clock';
import { describeLoginAttemptStore } from '../../testing/login-attempt-store.conformance';
import { InMemoryLoginAttemptStore } from './memory-login-attempt.store';

describeLoginAttemptStore('InMemoryLoginAttemptStore', () => {
  const clock = new ManualClock();
  return Promise.resolve({
    store: new InMemoryLoginAttemptStore(clock),
    advance: (ms: number) => clock.advance(ms),
    close: () => Promise.resolve(),
  });
});
