/**
 * The events the library emits, by name (through @nestjs/event-emitter when the app has it, or the
 * `eventSink` option). Listen with `@OnEvent(AuthEventName.TokenRevoked)` or `@OnEvent('token.*')`.
 */
export const AuthEventName = {
  TokenCreated: 'token.created',
  TokenRevoked: 'token.revoked',
  TokenRefreshed: 'token.refreshed',
  TokenUpdated: 'token.updated',
  TokenRolled: 'token.rolled',
  TokenRotated: 'token.rotated',
  TokenReuseDetected: 'token.reuse_detected',
  TokenLeaked: 'token.leaked',
  LoginSucceeded: 'login.succeeded',
  LoginFailed: 'login.failed',
} as const;

export type AuthEventName = (typeof AuthEventName)[keyof typeof AuthEventName];
