import {
  PasswordCheckOutrankedException,
  PasswordChecksBusyException,
} from '../../contracts/errors/attempt.exceptions';
import { clientAddress } from '../http/client-address';
import { clientNetwork } from '../http/client-network';
import { PasswordCheckQueue } from './password-check.queue';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** The defaults: 4 running, 4 waiting per address, 256 in all; every check held until `open()`. */
function defaults() {
  const queue = new PasswordCheckQueue({ concurrency: 4, queuePerClient: 4, queue: 256, maxWait: 10 });
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const outcome = new Map<string, string>();
  const all: Promise<unknown>[] = [];
  const run = (ip: string, label = ip) => {
    const done = queue
      .run(clientAddress(ip), () => gate.then(() => true))
      .then(
        () => outcome.set(label, 'served'),
        (error: Error) => outcome.set(label, error.constructor.name),
      );
    all.push(done);
    return done;
  };
  return { queue, open, outcome, run, all };
}

describe('PasswordCheckQueue under a flood from many addresses (defaults)', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('counts an IPv6 /64 in its /56 and nothing else in a network', () => {
    expect(clientNetwork(clientAddress('2001:db8:0:1ab::1'))).toBe('2001:db8:0:100::/56');
    expect(clientNetwork(clientAddress('2001:db8:0:1ff:ffff::1'))).toBe('2001:db8:0:100::/56');
    expect(clientNetwork(clientAddress('2001:db8:0:200::1'))).toBe('2001:db8:0:200::/56');
    expect(clientNetwork(clientAddress('203.0.113.9'))).toBe('203.0.113.9');
    expect(clientNetwork(clientAddress('unknown'))).toMatch(/^other:[0-9a-f]{16}$/);
  });

  it("the review's case: 4 running and one waiting from each of 256 /64s (one /56), a newcomer is served", async () => {
    const q = defaults();
    for (let i = 0; i < 4 + 256; i++) void q.run(`2001:db8:0:${i.toString(16)}::1`);
    await settle();
    expect(q.queue.load).toEqual({ running: 4, waiting: 256 });
    void q.run('203.0.113.9', 'person');
    await settle();
    // One of the 256 /64s gave up its place (counted against that address), none of the others did.
    const refused = [...q.outcome.entries()];
    expect(refused).toEqual([[expect.stringMatching(/^2001:db8:0:/), 'PasswordCheckOutrankedException']]);
    expect(q.queue.load).toEqual({ running: 4, waiting: 256 });
    q.open();
    await Promise.all(q.all);
    expect(q.outcome.get('person')).toBe('served');
  });

  it('a sustained flood from 260 networks, each with a check earlier in the window and one now: a newcomer is served', async () => {
    const q = defaults();
    const flooding = Array.from({ length: 4 + 256 }, (_, i) => `10.1.${i >> 4}.${i & 15}`);
    for (const ip of flooding) await q.queue.run(clientAddress(ip), () => Promise.resolve(true));
    for (const ip of flooding) void q.run(ip);
    await settle();
    expect(q.queue.load).toEqual({ running: 4, waiting: 256 });
    void q.run('203.0.113.9', 'person');
    await settle();
    expect([...q.outcome.values()]).toEqual(['PasswordCheckOutrankedException']);
    q.open();
    await Promise.all(q.all);
    expect(q.outcome.get('person')).toBe('served');
  });

  it('once in line, a person keeps the place: 1 000 newcomers from fresh networks cannot take it', async () => {
    const q = defaults();
    for (let i = 0; i < 4 + 255; i++) void q.run(`2001:db8:${i.toString(16)}::1`); // 259 networks, one each
    await settle();
    void q.run('203.0.113.9', 'person');
    await settle();
    expect(q.queue.load).toEqual({ running: 4, waiting: 256 });
    for (let i = 0; i < 1_000; i++) void q.run(`10.2.${i >> 8}.${i & 255}`, `late${i}`);
    await settle();
    // Each is refused as a newcomer among equals: 503, but not of its own doing (counted nowhere).
    expect(new Set([...q.outcome.values()])).toEqual(new Set(['PasswordChecksBusyException']));
    expect(q.outcome.size).toBe(1_000);
    q.open();
    await Promise.all(q.all);
    expect(q.outcome.get('person')).toBe('served');
  });

  it('a newcomer refused by such a crowd is told 503, and nothing in it is of its own doing', async () => {
    const q = defaults();
    for (let i = 0; i < 4 + 256; i++) void q.run(`2001:db8:${i.toString(16)}::1`);
    await settle();
    const person = q.queue.run(clientAddress('203.0.113.9'), () => Promise.resolve(true));
    await expect(person).rejects.toBeInstanceOf(PasswordChecksBusyException);
    await expect(person).rejects.not.toBeInstanceOf(PasswordCheckOutrankedException);
    q.open();
    await Promise.all(q.all);
  });
});
