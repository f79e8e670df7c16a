/**
 * `api.js`: same-origin calls to the library's routes. The session token never reaches this
 * script: it travels in the HttpOnly `__Host-mta` cookie. The CSRF token is kept in memory (never
 * in localStorage) and read again from its readable cookie after a reload.
 */
export const ACCOUNT_API_SCRIPT = String.raw`
const CSRF_COOKIE = '__Host-mta_csrf';

function readCookie(name) {
  const prefix = name + '=';
  const found = document.cookie.split('; ').find((part) => part.startsWith(prefix));
  return found === undefined ? null : decodeURIComponent(found.slice(prefix.length));
}

let csrfToken = readCookie(CSRF_COOKIE);

/** What POST /auth/login answered (or null after logout). */
export function setCsrfToken(value) {
  csrfToken = value;
}

/** A refusal by the server: its status, the library's stable code and its message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function messageOf(body, status) {
  if (body && Array.isArray(body.message)) return body.message.join(' ');
  if (body && typeof body.message === 'string') return body.message;
  return 'The server answered ' + status + '.';
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // Every unsafe request made with the cookie must carry the CSRF token, or the library answers
  // 403 csrf_failed: another site can make the browser send the cookie, but cannot know this value.
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data && data.code, messageOf(data, response.status));
  return { data, response };
}

/** One call; resolves to the parsed body (null for 204), rejects with an ApiError. */
export async function request(method, path, body) {
  return (await send(method, path, body)).data;
}

/** Every page of a list route, following its Link: <…>; rel="next" header. */
export async function list(path) {
  const items = [];
  let next = path;
  while (next) {
    const { data, response } = await send('GET', next);
    items.push(...data);
    const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('Link') || '');
    next = link ? link[1] : null;
  }
  return items;
}
`;
