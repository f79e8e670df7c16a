import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';

/** Most entries one read of the feed returns, and most ranges one `within` names. */
export const FEED_PAGE = 1000;
export const FEED_MAX_RANGES = 20;

/** What a read of `GET /auth/revocations` asks for: where the journal stands, entries after a position, or inside ranges. */
export type FeedQuery =
  { kind: 'head' } | { kind: 'after'; after: number; limit: number } | { kind: 'within'; ranges: [number, number][] };

const POSITION = /^(0|[1-9]\d{0,14})$/;

function position(value: string, name: string): number {
  if (!POSITION.test(value)) throw new ValidationFailedException([`${name} must be a whole number >= 0`]);
  return Number(value);
}

/** The query of a feed read, checked: `after` (with `limit`, 1–1000), or `within` (`a-b,c-d`, ≤ 20 ranges), or neither. */
export function feedQuery(query: Record<string, unknown>): FeedQuery {
  const { after, limit, within, ...rest } = query;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ValidationFailedException([`unknown parameter ${unknown[0]}`]);
  if (after !== undefined && within !== undefined) {
    throw new ValidationFailedException(['give after or within, not both']);
  }
  if (typeof after === 'string') {
    const count = limit === undefined ? FEED_PAGE : typeof limit === 'string' ? position(limit, 'limit') : 0;
    if (count < 1 || count > FEED_PAGE) throw new ValidationFailedException([`limit must be 1 to ${FEED_PAGE}`]);
    return { kind: 'after', after: position(after, 'after'), limit: count };
  }
  if (typeof within === 'string') {
    const parts = within.split(',');
    if (parts.length > FEED_MAX_RANGES)
      throw new ValidationFailedException([`within names at most ${FEED_MAX_RANGES} ranges`]);
    const ranges = parts.map((part): [number, number] => {
      const [from, to, extra] = part.split('-');
      if (to === undefined || extra !== undefined)
        throw new ValidationFailedException(['within must read like 5-9,12-12']);
      const range: [number, number] = [position(from, 'within'), position(to, 'within')];
      if (range[0] > range[1]) throw new ValidationFailedException(['within ranges run from low to high']);
      return range;
    });
    return { kind: 'within', ranges };
  }
  if (after !== undefined || within !== undefined || limit !== undefined) {
    throw new ValidationFailedException(['after and within are single values; limit goes with after']);
  }
  return { kind: 'head' };
}
