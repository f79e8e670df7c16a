import { dateTime, metadata, nullable, object, scopeList, scopes, tokenFields, tokenName } from './schema.parts';

/** The API-key routes' bodies and answers. */
const allowedIps = {
  type: 'array',
  nullable: true,
  maxItems: 100,
  items: { type: 'string', example: '203.0.113.0/24' },
  description: 'Addresses and CIDR networks the key may be used from (else 403 `ip_not_allowed`); `null`: anywhere.',
};
const rateLimit = {
  type: 'string',
  nullable: true,
  pattern: '^[1-9][0-9]{0,8}/([1-9][0-9]{0,3})?[smhd]$',
  example: '100/m',
  description:
    'The key’s own limit, counted on every request it makes: past it 429 `rate_limited` with `Retry-After`; `null`: none.',
};
const quotaRule = {
  limit: { type: 'integer', minimum: 1, maximum: 1_000_000_000, example: 1000 },
  refill: {
    type: 'object',
    nullable: true,
    additionalProperties: false,
    required: ['amount', 'every'],
    properties: {
      amount: { type: 'integer', minimum: 1, description: 'Units added back each period, up to `limit`.' },
      every: { type: 'string', pattern: '^[1-9][0-9]{0,3}[mhd]$', example: '1d', description: '1 minute to 366 days.' },
    },
  },
};
const quota = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  required: ['limit'],
  properties: quotaRule,
  description:
    'Units the key may spend: 1 a request (`n` on `@TokenCost(n)` routes), none left 429 `quota_exhausted`; ' +
    'on `PATCH` full again from the change; `null`: none.',
};
const quotaStanding = {
  type: 'object',
  nullable: true,
  required: ['limit', 'refill', 'remaining', 'nextRefillAt'],
  properties: {
    ...quotaRule,
    remaining: { type: 'integer', description: 'Units left now (every instance’s spending, with Redis).' },
    nextRefillAt: nullable({ ...dateTime, description: 'When the next refill is due; `null` without refills.' }),
  },
  description: 'The key’s quota and what is left of it; `null`: none.',
};
const password = {
  type: 'string',
  format: 'password',
  description: 'The account’s password; not needed within `recentLoginWindow` of signing in.',
};

export const API_KEY_BODY = object(
  {
    name: tokenName,
    password,
    expiresInDays: {
      type: 'integer',
      minimum: 1,
      maximum: 3650,
      description: 'Omitted: the API-key client’s TTL.',
    },
    scopes: scopeList,
    metadata,
    allowedIps,
    rateLimit,
    quota,
  },
  ['name'],
);

export const API_KEY_UPDATE_BODY = object(
  {
    name: tokenName,
    enabled: { type: 'boolean', description: '`false` pauses the key (401 `key_disabled`) until `true` again.' },
    metadata,
    allowedIps,
    rateLimit,
    quota,
  },
  [],
);

const apiKeyFields = {
  id: tokenFields.id,
  name: { type: 'string' },
  createdAt: dateTime,
  lastUsedAt: nullable(dateTime),
  lastIp: nullable({ type: 'string', description: 'The address of the last use `lastUsedAt` records.' }),
  expiresAt: tokenFields.expiresAt,
  scopes,
  enabled: { type: 'boolean', description: '`false`: paused, refused with 401 `key_disabled`.' },
  metadata,
  replacedBy: {
    type: 'string',
    format: 'uuid',
    nullable: true,
    description:
      'Rolled with an overlap: the key that replaced this one (this one has no name and ends at `expiresAt`).',
  },
  allowedIps,
  rateLimit,
  quota: quotaStanding,
};

export const API_KEY = object(apiKeyFields);

export const API_KEY_USAGE = object({
  total: { type: 'integer', description: 'Requests in the range (refused ones included).' },
  refused: {
    type: 'integer',
    description: 'Of which refused once the key was identified (paused, address, scope, client, rate limit).',
  },
  days: {
    type: 'array',
    items: object({
      date: { type: 'string', format: 'date' },
      requests: { type: 'integer' },
      refused: { type: 'integer' },
    }),
  },
  lastUsedAt: nullable(dateTime),
  lastIp: nullable({ type: 'string' }),
});

const apiKeyCreatedFields = {
  token: { type: 'string', description: 'The key, shown this once.' },
  client: { type: 'string' },
  ...apiKeyFields,
};

export const API_KEY_CREATED = object(apiKeyCreatedFields);

export const API_KEY_ROLL_BODY = object(
  {
    overlapSeconds: {
      type: 'integer',
      minimum: 0,
      maximum: 2_592_000,
      description: 'How long the old key keeps working; 0 (default): revoked now.',
    },
    password,
  },
  [],
);

export const API_KEY_ROLLED = object({
  ...apiKeyCreatedFields,
  rolledFrom: object({
    id: tokenFields.id,
    expiresAt: { ...dateTime, description: 'When the old key stops working.' },
  }),
});
