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

  it('refuses a body that is not an array of 1 to 1000 with 400 validation_failed, never naming a token', () => {
    expect(problemsOf('not json')).toEqual(['the body must be a JSON array of {token, type, url, source}']);
    expect(problemsOf('{"token":"a"}')).toEqual(['the body must be an array of 1 to 1000 reports']);
    expect(problemsOf('[]')).toEqual(['the body must be an array of 1 to 1000 reports']);
    expect(problemsOf(JSON.stringify(Array(1001).fill({ token: 'a' })))).toEqual([
      'the body must be an array of 1 to 1000 reports',
    ]);
  });

  it('one odd entry does not refuse the others: a bad token is null, long text is cut to 2048', () => {
    const reports = parse(
      JSON.stringify([{ token: '' }, { token: 7 }, null, { token: 'ok', url: 'u'.repeat(3000), type: 5 }]),
    );
    expect(reports.map((report) => report.token)).toEqual([null, null, null, 'ok']);
    expect(reports[3]).toEqual({ token: 'ok', type: null, url: 'u'.repeat(2048), source: null });
    expect(feedbackOf(reports[0], false).label).toBe('false_positive');
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
