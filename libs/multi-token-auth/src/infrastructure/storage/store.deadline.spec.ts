import { StoreTimeoutError } from '../../contracts/errors/store-timeout.error';
import { isStoreOutage } from '../../contracts/errors/store-outage';
import { stopsWhenAborted, withDeadline } from './store.deadline';

/** A promise the test settles by hand: the database's answer, when the test decides it comes. */
function gate<T>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** Whether `promise` has settled, after every pending callback ran. */
async function state(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let seen: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => (seen = 'resolved'),
    () => (seen = 'rejected'),
  );
  await new Promise((done) => setImmediate(done));
  return seen;
}

describe('withDeadline', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('settles with the answer when it comes in time, and leaves no timer behind', async () => {
    const answer = gate<string>();
    const call = withDeadline(300, 'findByDigest', () => answer.promise);
    jest.advanceTimersByTime(299);
    answer.open('row');
    await expect(call).resolves.toBe('row');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails with StoreTimeoutError (an outage: 503) at the deadline, not before, and aborts the signal with it', async () => {
    const answer = gate<string>();
    let signal!: AbortSignal;
    const call = withDeadline(300, 'findByDigest', (given) => {
      signal = given;
      return answer.promise;
    });
    jest.advanceTimersByTime(299);
    expect(await state(call)).toBe('pending');
    expect(signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    const error: unknown = await call.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreTimeoutError);
    expect(error).toMatchObject({ operation: 'findByDigest', timeoutMs: 300 });
    expect((error as Error).message).toBe('the database did not answer within 300 ms (findByDigest)');
    expect(isStoreOutage(error)).toBe(true);
    expect(signal.reason).toBe(error);
    // The late answer changes nothing (and raises no unhandled rejection).
    answer.open('too late');
    expect(await state(call)).toBe('rejected');
  });

  it("passes the work's own failure through unchanged (a unique violation stays what it is)", async () => {
    const answer = gate<string>();
    const call = withDeadline(300, 'insert', () => answer.promise);
    const violation = Object.assign(new Error('duplicate key'), { code: '23505' });
    answer.fail(violation);
    await expect(call).rejects.toBe(violation);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a work that throws before returning a promise rejects the call', async () => {
    const bug = new TypeError('not a function');
    await expect(
      withDeadline(300, 'listActive', () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('stopsWhenAborted', () => {
  const store = () => {
    const answers: ReturnType<typeof gate<string[]>>[] = [];
    const calls: string[] = [];
    return {
      calls,
      answers,
      store: {
        revoke(userId: number): Promise<string[]> {
          calls.push(`revoke ${userId}`);
          const answer = gate<string[]>();
          answers.push(answer);
          return answer.promise;
        },
      },
    };
  };

  it('passes calls through while the signal is not aborted', async () => {
    const { store: inner, calls, answers } = store();
    const guarded = stopsWhenAborted(inner, new AbortController().signal);
    const call = guarded.revoke(7);
    answers[0]?.open(['t1']);
    await expect(call).resolves.toEqual(['t1']);
    expect(calls).toEqual(['revoke 7']);
  });

  it('once aborted, a new step does not run, and a step in flight fails when it is answered', async () => {
    const { store: inner, calls, answers } = store();
    const controller = new AbortController();
    const guarded = stopsWhenAborted(inner, controller.signal);
    const inFlight = guarded.revoke(1);
    const timeout = new StoreTimeoutError('withUserLock', 300);
    controller.abort(timeout);
    answers[0]?.open(['t1']);
    await expect(inFlight).rejects.toBe(timeout);
    await expect(guarded.revoke(2)).rejects.toBe(timeout);
    expect(calls).toEqual(['revoke 1']);
  });
});
