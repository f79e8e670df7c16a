import type { RouteDoc } from 'nestjs-multi-token-auth';
import { CreateOrderDto } from '../orders/order.dto';
import { ChangePasswordDto, CreateUserDto, DeactivateDto } from '../users/user.dto';
import { CLIENT_ROUTE, HEALTH, HELLO, ME, ORDER, ORDERS, RATE_LIMIT_HEADERS, REGISTERED } from './demo-api.schemas';

/** The password checks `CredentialsVerifier.confirm()` runs: attempt limits and the fair queue. */
const PASSWORD_CHECK_ERRORS = {
  401: ['invalid_credentials'],
  429: ['too_many_attempts', 'too_many_password_checks'],
  503: ['password_checks_busy'],
};

/**
 * The OpenAPI description of each demo route, as apps/demo/README.md's table of routes gives it. `ApiRoute` adds
 * what the guard and the input floor answer on every route (400 `invalid_request` and
 * `invalid_characters`, the 401s, 403 `csrf_failed` on unsafe routes, 503 `auth_unavailable`).
 */
export const DEMO_ROUTE_DOCS = {
  health: {
    summary: 'Liveness: the app answers',
    auth: 'none',
    safe: true,
    success: { status: 200, description: 'Up.', schema: HEALTH },
  },
  register: {
    summary: 'Register a user',
    description: 'The username is normalised first: `Alice`, `ALICE` and `ａｌｉｃｅ` are one account, `alice`.',
    auth: 'none',
    body: CreateUserDto,
    success: { status: 201, description: 'Registered.', schema: REGISTERED },
    errors: { 409: ['username_taken'], 503: ['auth_unavailable'] },
  },
  me: {
    summary: 'Who am I: the user and the token making the request',
    auth: 'bearer',
    safe: true,
    success: { status: 200, description: 'The user, and the client and id of the presented token.', schema: ME },
  },
  hello: {
    summary: 'Greets anyone; knows the user when a token is sent (`@OptionalAuth()`)',
    description: 'No credentials: `{user: null}`. Bad credentials are refused all the same.',
    auth: 'optional',
    safe: true,
    success: { status: 200, description: 'The user, or `null`.', schema: HELLO },
  },
  listOrders: {
    summary: 'The user’s orders (scope `orders:read`)',
    auth: 'bearer',
    safe: true,
    success: { status: 200, description: 'Held in memory, per user.', schema: ORDERS },
    errors: { 403: ['insufficient_scope'] },
  },
  createOrder: {
    summary: 'Create an order (scope `orders:write`)',
    description: 'Costs 5 units of an API key’s `quota` (`@TokenCost(5)`); other routes cost 1.',
    auth: 'bearer',
    body: CreateOrderDto,
    success: { status: 201, description: 'The new order.', schema: ORDER },
    errors: { 403: ['insufficient_scope'] },
  },
  changePassword: {
    summary: 'Change the password; every other token of the user ends',
    auth: 'bearer',
    apiKeys: false,
    body: ChangePasswordDto,
    success: { status: 204, description: 'Changed; every other token revoked, API keys too.' },
    errors: PASSWORD_CHECK_ERRORS,
  },
  deactivate: {
    summary: 'Deactivate the account; every token ends',
    auth: 'bearer',
    apiKeys: false,
    body: DeactivateDto,
    success: { status: 204, description: 'Deactivated; every token revoked, and login refused from now on.' },
    errors: PASSWORD_CHECK_ERRORS,
  },
  webOnly: {
    summary: 'Only the `web` client (`@AllowClients`)',
    auth: 'bearer',
    safe: true,
    success: { status: 200, description: 'A `web` token.', schema: CLIENT_ROUTE },
    errors: { 403: ['client_not_allowed'] },
  },
  notCli: {
    summary: 'Every client but `cli` (`@DisallowClients`)',
    auth: 'bearer',
    safe: true,
    success: { status: 200, description: 'Not a `cli` token.', schema: CLIENT_ROUTE },
    errors: { 403: ['client_not_allowed'] },
  },
  throttled: {
    summary: 'Rate-limited per user and client (`@ClientRateLimit()`)',
    auth: 'bearer',
    safe: true,
    success: {
      status: 200,
      description: 'Within the client’s rate.',
      schema: CLIENT_ROUTE,
      headers: RATE_LIMIT_HEADERS,
    },
    errors: { 429: ['rate_limited'] },
  },
} satisfies { [route: string]: RouteDoc };
