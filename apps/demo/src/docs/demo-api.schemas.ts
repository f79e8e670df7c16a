/** The demo's answers, as OpenAPI schemas (the library's own are in its `auth-api.schemas.ts`). */
type Schema = { [key: string]: unknown };

const object = (properties: Schema, required = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const userId = { type: 'integer', minimum: 1 };
const username = { type: 'string', description: 'As stored: NFKC and lower case.' };
const clientName = { type: 'string', description: 'The client the token was issued to (`web`, `cli`…).' };

export const HEALTH = object({ status: { type: 'string', enum: ['ok'] } });

export const REGISTERED = object({ id: userId, username });

export const ME = object({
  id: userId,
  username,
  client: clientName,
  tokenId: { type: 'string', format: 'uuid', description: 'The presented token’s id (as in `GET /auth/sessions`).' },
});

export const HELLO = object({
  user: { ...object({ id: userId, username }), nullable: true, description: '`null` without credentials.' },
});

export const ORDER = object({
  id: { type: 'integer', minimum: 1 },
  item: { type: 'string', minLength: 1, maxLength: 100 },
  quantity: { type: 'integer', minimum: 1, maximum: 1000 },
  createdAt: { type: 'string', format: 'date-time' },
});

export const ORDERS = object({ orders: { type: 'array', items: ORDER, description: 'The user’s, oldest first.' } });

export const CLIENT_ROUTE = object({ ok: { type: 'boolean', enum: [true] }, client: clientName });

/** What `@ClientRateLimit()` routes send with a 2xx (from @nestjs/throttler). */
export const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': {
    description: 'Requests allowed per window for this user and client.',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Remaining': { description: 'Requests left in the window.', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'Seconds until the window ends.', schema: { type: 'integer' } },
};
