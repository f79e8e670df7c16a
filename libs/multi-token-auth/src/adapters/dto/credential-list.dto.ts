import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { MAX_LEAKED_TOKENS } from '../../pure/leaks/leak-report';
import { isTokenText, MAX_TOKEN_TEXT } from '../../pure/tokens/token.codec';

/**
 * The tokens of a `POST /auth/credentials/revoke` body, `{credentials: [...]}` (GitHub's credential
 * revocation API's shape): 1 to 1 000 strings of at most 4096 characters; else 400
 * `validation_failed`. Checked by hand, like the RFC endpoints' bodies: nothing for an app's
 * global `ValidationPipe` to transform.
 */
export function credentialList(body: unknown): string[] {
  const credentials =
    typeof body === 'object' && body !== null ? (body as { credentials?: unknown }).credentials : undefined;
  if (!Array.isArray(credentials) || credentials.length === 0 || credentials.length > MAX_LEAKED_TOKENS) {
    throw new ValidationFailedException([`credentials must be an array of 1 to ${MAX_LEAKED_TOKENS} tokens`]);
  }
  const bad = credentials.findIndex((credential) => !isTokenText(credential));
  if (bad !== -1)
    throw new ValidationFailedException([`credentials[${bad}] must be a string of 1 to ${MAX_TOKEN_TEXT} characters`]);
  return credentials as string[];
}
