import { createHash } from 'node:crypto';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { feedbackOf, parseLeakReports } from './leak-report';

const parse = (text: string) => parseLeakReports(Buffer.from(text));
const problemsOf = (text: string): unknown => {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedException);
    return ((error as ValidationFailedException).getResponse() as { message: unknown }).message;
  }
  throw new Error('parsed');
};

describe('secret-scanning reports', () => {
  it("reads GitHub's array of {token, type, url, source}; missing fields are null", () => {
    expect(parse('[{"token":"a","type":"t","url":"https://github.com/x","source":"content"},{"token":"b"}]')).toEqual([
      { token: 'a', type: 't', url: 'https://github.com/x', source: 'content' },
      { token: 'b', type: null, url: null, source: null },
    ]);
  });

  it('refuses anything else with 400 validation_failed, naming the problem and never the token', () => {
    expect(problemsOf('not json')).toEqual(['the body must be a JSON array of {token, type, url, source}']);
    expect(problemsOf('{"token":"a"}')).toEqual(['the body must be an array of 1 to 1000 reports']);
    expect(problemsOf('[]')).toEqual(['the body must be an array of 1 to 1000 reports']);
    expect(problemsOf(JSON.stringify(Array(1001).fill({ token: 'a' })))).toEqual([
      'the body must be an array of 1 to 1000 reports',
    ]);
    expect(problemsOf('[{"token":""},{"token":7},null]')).toEqual([
      '[0].token must be a string of 1 to 4096 characters',
      '[1].token must be a string of 1 to 4096 characters',
      '[2].token must be a string of 1 to 4096 characters',
    ]);
    expect(problemsOf(JSON.stringify([{ token: 'secret-value', url: 'u'.repeat(2049) }]))).toEqual([
      '[0]: type, url and source must be strings of at most 2048 characters',
    ]);
  });

  it("answers GitHub's feedback by the token's SHA-256, never the token", () => {
    const report = { token: 'mta_abc', type: 'acme_token', url: null, source: null };
    expect(feedbackOf(report, true)).toEqual({
      token_hash: createHash('sha256').update('mta_abc').digest('hex'),
      token_type: 'acme_token',
      label: 'true_positive',
    });
    expect(feedbackOf(report, false).label).toBe('false_positive');
    expect(JSON.stringify(feedbackOf(report, true))).not.toContain('mta_abc');
  });
});
