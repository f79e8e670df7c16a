/**
 * `main.js`: the page's entry point: which view shows, login and logout, and the one policy for
 * failures that the panels' actions share.
 */
export const ACCOUNT_MAIN_SCRIPT = String.raw`
import { ApiError, list, request, setCsrfToken } from './api.js';
import { alarm, byId, clearMessages, focusHeading, say } from './dom.js';
import { keysPanel } from './keys.js';
import { sessionsPanel } from './sessions.js';

let busy = false;

// Every action goes through here: one at a time, one way to report failure (the message of the
// library's error body, in the alert region). A 401 while signed in, other than a wrong password,
// means the session is over (expired, or ended from another device): back to the login form.
async function run(action) {
  if (busy) return;
  busy = true;
  clearMessages();
  try {
    await action();
  } catch (error) {
    const signedIn = !byId('account-view').hidden;
    if (error instanceof ApiError && error.status === 401 && signedIn && error.code !== 'invalid_credentials') {
      showLogin();
      alarm('Your session has ended. Please log in again.');
    } else {
      alarm(error instanceof ApiError ? error.message : 'The server could not be reached. Please try again.');
    }
  } finally {
    busy = false;
  }
}

const sessions = sessionsPanel({ run, refresh });
const keys = keysPanel({ run, refresh });

async function listKeys() {
  try {
    const found = await list('/auth/api-keys');
    byId('keys-section').hidden = false;
    return found;
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'api_keys_disabled')) throw error;
    byId('keys-section').hidden = true;
    return [];
  }
}

async function refresh() {
  const [tokens, apiKeys] = await Promise.all([list('/auth/sessions'), listKeys()]);
  // GET /auth/sessions lists API keys too; they have their own panel.
  const keyIds = new Set(apiKeys.map((key) => key.id));
  sessions.render(tokens.filter((token) => !keyIds.has(token.id)));
  keys.render(apiKeys);
}

function showLogin() {
  setCsrfToken(null);
  sessions.render([]);
  keys.render([]);
  byId('username').textContent = '';
  byId('account-view').hidden = true;
  byId('signed-in').hidden = true;
  byId('login-view').hidden = false;
}

async function showAccount(username) {
  await refresh();
  byId('username').textContent = username;
  byId('login-view').hidden = true;
  byId('signed-in').hidden = false;
  byId('account-view').hidden = false;
}

byId('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const fields = new FormData(event.currentTarget);
  const body = { username: fields.get('username'), password: fields.get('password'), client: 'browser' };
  const name = String(fields.get('name')).trim();
  if (name) body.name = name;
  run(async () => {
    try {
      const session = await request('POST', '/auth/login', body);
      setCsrfToken(session.csrfToken);
      byId('login-form').reset();
      await showAccount(session.user.username);
      focusHeading('sessions-title');
      say('Logged in as ' + session.user.username + '.');
    } catch (error) {
      byId('login-password').focus();
      byId('login-password').select();
      throw error;
    }
  });
});

byId('logout').addEventListener('click', () =>
  run(async () => {
    await request('POST', '/auth/logout');
    showLogin();
    focusHeading('login-title');
    say('You are logged out.');
  }),
);

// On load: signed in already (the cookie survived a reload) or not.
run(async () => {
  let me;
  try {
    me = await request('GET', '/me');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    showLogin();
    return;
  }
  await showAccount(me.username);
});
`;
