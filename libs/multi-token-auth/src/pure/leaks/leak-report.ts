import { hash } from 'node:crypto';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { isTokenText } from '../tokens/token.codec';

/** Most tokens one request may name: a secret-scanning report, or a bulk revocation. */
export const MAX_LEAKED_TOKENS = 1000;
/** Longest text kept of a report's `type`, `url` and `source` (they reach events; the rest is cut). */
const MAX_FIELD = 2048;

/** One token a report names, and where it was found. */
export interface LeakReport {
  /** `null` for an entry whose `token` is not a string of 1 to 4096 characters: nothing to revoke. */
  token: string | null;
  /** The report's name for the kind of token (the `type` registered with GitHub). */
  type: string | null;
  /** Where it was found (a commit's file, an issue…). */
  url: string | null;
  /** What kind of place (`content`, `commit`, `npm`, `gist`…). */
  source: string | null;
}

/** GitHub's answer about one reported token: whether it is one of ours, by its SHA-256, never the token. */
export interface LeakFeedback {
  token_hash: string;
  token_type: string;
  label: 'true_positive' | 'false_positive';
}

/**
 * The reports in a secret-scanning request's body: a JSON array of `{token, type, url, source}`, 1 to
 * 1 000 of them; anything else is 400 `validation_failed` (never naming a token). One entry that is
 * not as GitHub documents does not refuse the others, which GitHub would send again and again: a
 * `token` that is not a string of 1 to 4096 characters is kept as `null` (nothing to revoke, and
 * labelled a false positive), and a `type`, `url` or `source` is cut to 2048 characters (`null` if
 * not text).
 */
export function parseLeakReports(raw: Buffer): LeakReport[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationFailedException(['the body must be a JSON array of {token, type, url, source}']);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_LEAKED_TOKENS) {
    throw new ValidationFailedException([`the body must be an array of 1 to ${MAX_LEAKED_TOKENS} reports`]);
  }
  return parsed.map((item: unknown): LeakReport => {
    const fields = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const { token, type, url, source } = fields;
    return { token: isTokenText(token) ? token : null, type: text(type), url: text(url), source: text(source) };
  });
}

/** The feedback GitHub's partner program takes for a report: `token_hash` (hex SHA-256), never `token_raw`. */
export function feedbackOf(report: LeakReport, ours: boolean): LeakFeedback {
  return {
    token_hash: hash('sha256', report.token ?? '', 'hex'),
    token_type: report.type ?? '',
    label: ours ? 'true_positive' : 'false_positive',
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, MAX_FIELD) : null;
}
