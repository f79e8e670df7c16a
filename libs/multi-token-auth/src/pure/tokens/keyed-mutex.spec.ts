import { KeyedMutex } from './keyed-mutex';

describe('KeyedMutex', () => {
  it('runs sections with one key one at a time, in arrival order, and others in parallel', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const section = (name: string) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      mutex.run('a', section('a1')),
      mutex.run('a', section('a2')),
      mutex.run('b', section('b1')),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(events.indexOf('end a1')).toBeLessThan(events.indexOf('start a2'));
    expect(events.indexOf('start b1')).toBeLessThan(events.indexOf('end a1'));
  });

  it('keeps going after a section fails', async () => {
    const mutex = new KeyedMutex();
    const failed = mutex.run('a', () => Promise.reject(new Error('boom')));
    const next = mutex.run('a', () => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
