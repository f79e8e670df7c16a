import { TokenService, ValidationFailedException } from 'nestjs-multi-token-auth';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

const PASSWORD = 'correct horse';

/**
 * Token names through the demo, on both routes that accept one (login and API-key creation) and
 * TokenService.issue(): ill-formed UTF-16 and stacks of combining marks are a 400 that stores
 * nothing; names in real scripts and emoji are stored exactly, as valid UTF-8.
 */
describe('token names', () => {
  let demo: Demo;
  let alice: LoginResult;
  beforeAll(async () => {
    demo = await startDemo();
    await demo.register('alice', PASSWORD);
    alice = await demo.login('alice', 'web');
  });
  afterAll(() => demo.close());

  const login = (name: string) =>
    demo.http().post('/auth/login').send({ username: 'alice', password: PASSWORD, client: 'cli', name });
  const createKey = (name: string) =>
    demo.http().post('/auth/api-keys').set(demo.auth(alice.token)).send({ name, password: PASSWORD });
  /** The stored name, and its bytes as SQLite holds them. */
  const stored = (id: string) =>
    demo.db.prepare('SELECT name, hex(name) AS bytes FROM auth_tokens WHERE id = ?').get(id) as {
      name: string;
      bytes: string;
    };

  it.each([
    [
      'a lone high surrogate (JSON "\\ud800")',
      'laptop\ud800',
      'name must be well-formed Unicode (no lone surrogate halves)',
    ],
    ['a lone low surrogate', '\udc00laptop', 'name must be well-formed Unicode (no lone surrogate halves)'],
    [
      'a letter under 37 combining marks',
      `Z${'\u0301'.repeat(37)}ack`,
      'name must not stack more than 6 combining marks on one character',
    ],
    [
      '7 marks in a row',
      `e${'\u0301\u0323'.repeat(3)}\u0302`,
      'name must not stack more than 6 combining marks on one character',
    ],
    ['a leading combining mark', '\u0301laptop', 'name must not start with a combining mark'],
  ])('%s: 400 validation_failed at login and at key creation, no row stored', async (_case, name, message) => {
    const before = demo.tokens().length;
    for (const res of [await login(name), await createKey(name)]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        message: [message],
        error: 'Bad Request',
        code: 'validation_failed',
      });
    }
    expect(demo.tokens()).toHaveLength(before);
  });

  it('the raw JSON escape of a lone surrogate is refused the same way (no client-side re-encoding)', async () => {
    const before = demo.tokens().length;
    const res = await demo
      .http()
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"username":"alice","password":"${PASSWORD}","client":"cli","name":"ph\\ud83done"}`)
      .expect(400);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      message: ['name must be well-formed Unicode (no lone surrogate halves)'],
    });
    expect(demo.tokens()).toHaveLength(before);
  });

  it('TokenService.issue() refuses the same names (400 validation_failed), storing nothing', async () => {
    const before = demo.tokens().length;
    const tokens = demo.app.get(TokenService);
    for (const name of ['x\ud800', `Z${'\u0301'.repeat(37)}`]) {
      await expect(tokens.issue(alice.user.id, { client: 'cli', name })).rejects.toBeInstanceOf(
        ValidationFailedException,
      );
    }
    expect(demo.tokens()).toHaveLength(before);
  });

  it.each([
    ['Vietnamese', 'Nguyễn Thị Ánh'],
    ['Vietnamese, decomposed (two stacked marks)', 'Điện thoại của Nguyễn'.normalize('NFD')],
    ['Devanagari', 'क्षत्रिय का फ़ोन'],
    ['Thai', 'โทรศัพท์ของน้ำ'],
    ['Hebrew with points', 'בְּרֵאשִׁ֖ית'],
    ['emoji: ZWJ, skin tone, flags, keycap', '👩🏽‍💻 🇻🇳 🏴󠁧󠁢󠁳󠁣󠁴󠁿 1️⃣'],
  ])('%s: 201 at login and at key creation, stored exactly as UTF-8', async (_case, name) => {
    // Names are unique per user across sessions and keys: the key gets a suffix of its own.
    const session = await login(name).expect(201);
    const key = await createKey(`${name} (key)`).expect(201);
    for (const [res, sent] of [
      [session, name],
      [key, `${name} (key)`],
    ] as const) {
      expect(res.body.name).toBe(sent);
      const utf8 = Buffer.from(sent, 'utf8').toString('hex').toUpperCase();
      expect(stored(res.body.id as string)).toEqual({ name: sent, bytes: utf8 });
    }
  });
});
