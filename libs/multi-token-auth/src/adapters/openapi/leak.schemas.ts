import { ARRAY_OF } from './auth-api.schemas';
import { object } from './schema.parts';

/** One match in a GitHub secret-scanning report. */
const LEAK_REPORT = object(
  {
    token: { type: 'string', minLength: 1, maxLength: 4096, description: 'The string found.' },
    type: { type: 'string', maxLength: 2048, description: 'The token type registered with GitHub.' },
    url: { type: 'string', maxLength: 2048, description: 'Where it was found.' },
    source: { type: 'string', maxLength: 2048, description: '`content`, `commit`, `npm`, `gist`…' },
  },
  ['token'],
);

export const LEAK_REPORTS = { ...ARRAY_OF(LEAK_REPORT), minItems: 1, maxItems: 1000 };

/** GitHub's partner-program feedback, one per reported token, in the report's order. */
export const LEAK_FEEDBACK = ARRAY_OF(
  object({
    token_hash: {
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
      description: 'Hex SHA-256 of the token (never the token).',
    },
    token_type: { type: 'string', description: 'The report’s `type`.' },
    label: {
      type: 'string',
      enum: ['true_positive', 'false_positive'],
      description: '`true_positive`: of this app’s token format (prefix and checksum), whether or not still stored.',
    },
  }),
);

export const CREDENTIAL_LIST = object({
  credentials: {
    type: 'array',
    minItems: 1,
    maxItems: 1000,
    items: { type: 'string', minLength: 1, maxLength: 4096 },
    description: 'Tokens to revoke, whoever owns them.',
  },
});
