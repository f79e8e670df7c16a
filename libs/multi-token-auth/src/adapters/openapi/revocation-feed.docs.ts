import { NO_STORE, type RouteDoc } from './api-route.decorator';
import { ARRAY_OF } from './auth-api.schemas';
import { object } from './schema.parts';

const POSITION = { type: 'integer', minimum: 0 };

const JOURNAL_ENTRY = object({
  position: { ...POSITION, description: 'Increasing; a gap may fill later (a transaction still open).' },
  digest: { type: 'string', nullable: true, description: 'The ended token’s SHA-256 (hex), or null.' },
  userId: {
    type: 'string',
    nullable: true,
    description: 'Every token of this user, when digest is null; both null: every token.',
  },
});

const FEED_ANSWER = object(
  {
    head: { ...POSITION, description: 'Without after or within: the highest position written.' },
    positions: { ...ARRAY_OF(POSITION), description: 'Without after or within: every position kept up to head.' },
    entries: { ...ARRAY_OF(JOURNAL_ENTRY), description: 'With after or within: the entries, by position.' },
  },
  [],
);

/** `GET /auth/revocations`: the owner's revocation journal, for its resource servers. */
export const REVOCATIONS_ROUTE: RouteDoc = {
  summary: 'The revocation feed: what ended, by position, for resource servers',
  description:
    'Read by `forResourceServer()` every 200 ms with the API key it introspects with (scope `auth:introspect` by ' +
    'name). Without parameters: the head and the positions kept (5 minutes of them); `after` (and `limit`, ≤ 1000): ' +
    'the entries past a position; `within=a-b,c-d`: the entries inside ranges a reader waits on.',
  auth: 'bearer',
  safe: true,
  queries: [
    { name: 'after', schema: POSITION, description: 'Entries after this position.' },
    {
      name: 'limit',
      schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 },
      description: 'With after.',
    },
    { name: 'within', schema: { type: 'string', example: '5-9,12-12' }, description: 'At most 20 inclusive ranges.' },
  ],
  success: {
    status: 200,
    description: 'Where the journal stands, or its entries.',
    schema: FEED_ANSWER,
    headers: NO_STORE,
  },
  errors: { 400: ['validation_failed'], 403: ['insufficient_scope'], 404: ['revocation_feed_unavailable'] },
};
