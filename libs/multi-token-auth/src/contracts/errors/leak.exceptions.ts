import { HttpException } from '@nestjs/common';
import { AUTH_ERRORS, authErrorBody } from './auth-error.table';

/** The codes of `POST /auth/leaked-tokens` and `POST /auth/credentials/revoke` of their own. */
export type LeakErrorCode =
  | 'invalid_signature'
  | 'secret_scanning_disabled'
  | 'credential_revocation_disabled'
  | 'raw_body_required'
  | 'signing_keys_unavailable';

/**
 * A refusal of a leak report or a bulk revocation: 401 for a report not signed by a known key, 404
 * for a route turned off, 500 for an app created without `rawBody`, 503 while the signing keys
 * cannot be fetched. Its status comes from the error table.
 */
export class LeakReportException extends HttpException {
  constructor(readonly code: LeakErrorCode) {
    super(authErrorBody(code), AUTH_ERRORS[code].status);
  }
}
