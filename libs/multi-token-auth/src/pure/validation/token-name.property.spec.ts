import fc from 'fast-check';
import { TOKEN_NAME_MAX_COMBINING_MARKS, tokenNameProblem } from './token-name';

const SURROGATE_MESSAGE = 'name must be well-formed Unicode (no lone surrogate halves)';
const MARKS_MESSAGE = `name must not stack more than ${TOKEN_NAME_MAX_COMBINING_MARKS} combining marks on one character`;
const isWellFormed = (value: string) => (value as string & { isWellFormed(): boolean }).isWellFormed();

/** Names people really type, in their own scripts and with emoji: every one must pass. */
const REAL_NAMES = [
  ['Latin with accents', 'Zoë’s Café laptop'],
  ['Vietnamese (NFC)', 'Nguyễn Thị Ánh'],
  ['Vietnamese (NFD: two marks stacked)', 'Nguyễn Thị Ánh'.normalize('NFD')],
  ['Devanagari', 'क्षत्रिय का फ़ोन'],
  ['Devanagari with Vedic accents', 'अ॒ग्निमी॑ळे'],
  ['Thai', 'โทรศัพท์ของน้ำ'],
  ['Tibetan stacks', 'བསྒྲུབས ཧྨྱཱཾ'],
  ['Hebrew, fully pointed with cantillation', 'בְּרֵאשִׁ֖ית שָׁלוֹם'],
  ['Arabic with vowels', 'مُحَمَّد'],
  ['Chinese', '张伟的笔记本'],
  ['Korean (NFD: conjoining jamo)', '한국어 전화'.normalize('NFD')],
  ['emoji ZWJ sequence with a skin tone', '👩🏽‍💻 work'],
  ['family', '👨‍👩‍👧‍👦'],
  ['couple with two skin tones', '🧑🏿‍🤝‍🧑🏻'],
  ['rainbow flag (selector + ZWJ)', '🏳️‍🌈'],
  ['heart on fire', '❤️‍🔥'],
  ['country flags', '🇻🇳 🇮🇳 🇹🇭'],
  ['subdivision flag (tags)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland'],
  ['keycaps', '1️⃣ #️⃣ key'],
] as const;

describe('tokenNameProblem', () => {
  it.each(REAL_NAMES)('accepts %s', (_script, name) => {
    expect(tokenNameProblem(name)).toBeUndefined();
  });

  it('refuses any name with a lone surrogate half, wherever it is, and only those (property)', () => {
    const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
    const text = fc.string({ unit: 'grapheme', maxLength: 20 });
    fc.assert(
      fc.property(text, lone, text, (before, half, after) => {
        const name = `x${before}${half}${after}`;
        // A high half right before a low one is a pair: the generator may build one; then it is fine.
        if (isWellFormed(name)) expect(tokenNameProblem(name)).not.toBe(SURROGATE_MESSAGE);
        else expect(tokenNameProblem(name)).toBe(SURROGATE_MESSAGE);
      }),
      { numRuns: 2000 },
    );
    expect(tokenNameProblem('laptop\ud800')).toBe(SURROGATE_MESSAGE);
    expect(tokenNameProblem('\udc00laptop')).toBe(SURROGATE_MESSAGE);
    expect(tokenNameProblem('\ud83d\ude00 laptop')).toBeUndefined();
  });

  it(`allows up to ${TOKEN_NAME_MAX_COMBINING_MARKS} combining marks in a row, and refuses more (property)`, () => {
    const base = fc.constantFrom('a', 'Z', 'ễ', 'क', 'ท', 'ཧ', 'ש', 'م');
    // Above, below, enclosing, Devanagari, Thai, Tibetan, Hebrew marks: any mix stacks the same way.
    const mark = fc.constantFrom('\u0301', '\u0323', '\u0360', '\u20DD', '\u093F', '\u0E49', '\u0F71', '\u05B8');
    fc.assert(
      fc.property(base, fc.array(mark, { minLength: 1, maxLength: 40 }), base, (letter, marks, next) => {
        const name = `${letter}${marks.join('')}${next}`;
        // The base itself may end in a mark once decomposed; count the run as stored.
        const run = Math.max(...(name.match(/\p{M}+/gu) ?? ['']).map((r) => [...r].length));
        if (run > TOKEN_NAME_MAX_COMBINING_MARKS) expect(tokenNameProblem(name)).toBe(MARKS_MESSAGE);
        else expect(tokenNameProblem(name)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
    expect(tokenNameProblem(`Z${'\u0301'.repeat(37)}`)).toBe(MARKS_MESSAGE);
    expect(tokenNameProblem(`Z${'\u0301'.repeat(6)}`)).toBeUndefined();
    expect(tokenNameProblem(`Z${'\u0301'.repeat(7)}`)).toBe(MARKS_MESSAGE);
  });

  it('refuses a name that starts with a combining mark (it would draw over what precedes it)', () => {
    expect(tokenNameProblem('\u0301laptop')).toBe('name must not start with a combining mark');
    expect(tokenNameProblem('\u20E3')).toBe('name must not start with a combining mark');
  });

  it('keeps refusing hidden text: tags outside a subdivision flag, selectors and joiners outside emoji', () => {
    const invisible = 'name must not contain control, invisible or bidirectional-formatting characters';
    for (const name of [
      'laptop\u{E0068}\u{E0069}', // tags smuggling "hi"
      '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E0074}\u{E0074}\u{E007F}', // more than a subdivision holds
      '🏴\u{E0067}\u{E0062}', // no terminator
      'a\uFE0F\u20E3', // a keycap needs 0-9, # or *
      'lap\u200Dtop',
    ]) {
      expect(tokenNameProblem(name)).toBe(invisible);
    }
  });

  it('accepts the tags of England, Scotland and Wales after 🏴 and no other tag run (property)', () => {
    const invisible = 'name must not contain control, invisible or bidirectional-formatting characters';
    const tags = (text: string) => [...text].map((char) => String.fromCodePoint(0xe0000 + char.charCodeAt(0))).join('');
    const flag = (code: string) => `🏴${tags(code)}\u{E007F}`;
    for (const code of ['gbeng', 'gbsct', 'gbwls']) expect(tokenNameProblem(`${flag(code)} laptop`)).toBeUndefined();
    expect(tokenNameProblem([flag('gbeng'), flag('gbsct'), flag('gbwls')].join(''))).toBeUndefined();
    // Well-formed subdivision codes that Unicode does not recommend draw as a plain black flag.
    for (const code of ['usca', 'usnyc', 'gbnir', 'frbre', 'gbsc', 'gbscta']) {
      expect(tokenNameProblem(`${flag(code)} laptop`)).toBe(invisible);
    }
    // 72 letters of hidden text behind 12 black flags: what the earlier rule let through.
    expect(tokenNameProblem(flag('secret').repeat(12))).toBe(invisible);
    const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
    fc.assert(
      fc.property(fc.array(letter, { minLength: 1, maxLength: 7 }), (letters) => {
        const code = letters.join('');
        const expected = ['gbeng', 'gbsct', 'gbwls'].includes(code) ? undefined : invisible;
        expect(tokenNameProblem(flag(code))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers any string without throwing, in time linear in its length (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (name) => {
        const problem = tokenNameProblem(name);
        expect(problem === undefined || typeof problem === 'string').toBe(true);
        if (problem === undefined) expect(isWellFormed(name)).toBe(true);
      }),
      { numRuns: 500 },
    );
    const started = process.hrtime.bigint();
    tokenNameProblem(`a${'\u0301\u0323'.repeat(3)}b`.repeat(14));
    tokenNameProblem('\u0301'.repeat(100_000));
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
  });
});
