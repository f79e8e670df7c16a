import type { OpenApiSchema } from './swagger.loader';

/** Schema pieces the route schemas share. */
export const dateTime = { type: 'string', format: 'date-time' };
export const nullable = (schema: OpenApiSchema): OpenApiSchema => ({ ...schema, nullable: true });
export const scopes = nullable({
  type: 'array',
  items: { type: 'string' },
  description: 'What the token may do now; `null`: no restriction.',
});
export const tokenName = { type: 'string', minLength: 1, maxLength: 100, description: 'Unique per user.' };
export const scopeList = {
  type: 'array',
  items: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+$' },
  description: 'A subset of the client’s scopes; omitted: its default scopes.',
};
export const metadata = {
  type: 'object',
  nullable: true,
  additionalProperties: true,
  description: 'The app’s own JSON object, at most 4 KB as UTF-8 JSON; never used to authorise.',
};
// OpenAPI 3.0 refuses an empty `required`: it is left out when nothing is.
export const object = (properties: OpenApiSchema, required = Object.keys(properties)): OpenApiSchema => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
});

export const tokenFields = {
  id: { type: 'string', format: 'uuid' },
  client: { type: 'string' },
  name: nullable({ type: 'string' }),
  expiresAt: nullable({ ...dateTime, description: '`null`: never expires.' }),
  scopes,
};
