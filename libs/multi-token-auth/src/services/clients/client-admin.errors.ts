/** Why `ClientAdmin` refused a change; `code` is stable, `message` says what to do. */
export class ClientAdminError extends Error {
  constructor(
    readonly code: 'client_exists' | 'client_not_found' | 'client_in_use' | 'client_set_by_options' | 'invalid_client',
    message: string,
    /** With `client_in_use`: how many unexpired tokens the client has. */
    readonly activeTokens?: number,
  ) {
    super(message);
    this.name = 'ClientAdminError';
  }
}
