import { EventEmitter } from 'node:events';
import { MAX_RECONNECT_DELAY_MS, monitorRedisLink, reconnectDelay } from './redis-link.monitor';

/** ioredis's events as it emits them, and the lines the monitor logged. */
function link() {
  const connection = new EventEmitter();
  const lines: string[] = [];
  monitorRedisLink('publisher', connection, {
    warn: (message) => lines.push(`warn ${message}`),
    log: (message) => lines.push(`log ${message}`),
  });
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' });
  /** One failed attempt, as ioredis reports it: the error, the close, the next retry scheduled. */
  const failedAttempt = () => {
    connection.emit('error', refused());
    connection.emit('close');
    connection.emit('reconnecting', 100);
  };
  return { connection, lines, failedAttempt };
}

describe('monitorRedisLink', () => {
  it('logs one line when the link drops and one when it is back, none per failed retry', () => {
    const { connection, lines, failedAttempt } = link();
    connection.emit('ready');
    expect(lines).toEqual([]); // the first connection is not news
    connection.emit('close');
    connection.emit('reconnecting', 50);
    for (let attempt = 0; attempt < 60; attempt++) failedAttempt();
    connection.emit('connect');
    connection.emit('ready');
    expect(lines).toEqual([
      'warn Redis link "publisher" is down (connection closed); reconnecting',
      'log Redis link "publisher" is back',
    ]);
  });

  it('names the error when one came first, and says it again after the next outage only', () => {
    const { connection, lines, failedAttempt } = link();
    failedAttempt(); // Redis unreachable at start-up
    failedAttempt();
    connection.emit('ready');
    connection.emit('error', new Error('read ECONNRESET'));
    connection.emit('close');
    connection.emit('reconnecting', 50);
    connection.emit('ready');
    expect(lines).toEqual([
      'warn Redis link "publisher" is down (connect ECONNREFUSED 127.0.0.1:6390); reconnecting',
      'log Redis link "publisher" is back',
      'warn Redis link "publisher" is down (read ECONNRESET); reconnecting',
      'log Redis link "publisher" is back',
    ]);
  });

  it('has an error listener, so ioredis never prints "Unhandled error event"', () => {
    const { connection } = link();
    expect(connection.listenerCount('error')).toBe(1);
    expect(() => connection.emit('error', new Error('boom'))).not.toThrow();
  });

  it('says nothing when the library closes the link itself (shutdown: close and end, no reconnection)', () => {
    const { connection, lines } = link();
    connection.emit('ready');
    connection.emit('close');
    connection.emit('end');
    expect(lines).toEqual([]);
  });
});

describe('reconnectDelay', () => {
  it('starts at 50 ms, doubles, and never waits more than a second, however long the outage', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(reconnectDelay)).toEqual([50, 100, 200, 400, 800, 1000, 1000]);
    expect(reconnectDelay(10_000)).toBe(MAX_RECONNECT_DELAY_MS);
    expect(MAX_RECONNECT_DELAY_MS).toBe(1000);
  });
});
