/** `sessions.js`: the sessions panel: one card per session, "This device" first, and its actions. */
export const ACCOUNT_SESSIONS_SCRIPT = String.raw`
import { request } from './api.js';
import { actionButton, byId, details, element, focusHeading, say, time } from './dom.js';

/** The name a session goes by: the one given at login, else its client's. */
function sessionLabel(session) {
  return session.name || 'Unnamed ' + session.client + ' session';
}

/**
 * The panel, given main.js's run (one action at a time, failures reported) and refresh (both
 * lists reloaded). Returns its render(sessions).
 */
export function sessionsPanel({ run, refresh }) {
  function end(session) {
    run(async () => {
      await request('DELETE', '/auth/sessions/' + encodeURIComponent(session.id));
      await refresh();
      focusHeading('sessions-title');
      say('Ended the session “' + sessionLabel(session) + '”.');
    });
  }

  function card(session) {
    const label = sessionLabel(session);
    const heading = element('h3', '', label);
    if (session.current) heading.append(element('span', 'badge', 'This device'));
    const item = element(
      'li',
      session.current ? 'card current' : 'card',
      heading,
      details([
        ['Client', session.client],
        ['Signed in', time(session.createdAt)],
        ['Last used', time(session.lastUsedAt, 'Not yet')],
        ['Expires', time(session.expiresAt, 'Never')],
        ['From', session.ip],
        ['Browser or app', session.userAgent, 'agent'],
      ]),
    );
    // The page's own session ends with "Log out" (DELETE /auth/sessions/:id refuses it with 400).
    if (!session.current) item.append(actionButton('End session', '“' + label + '”', 'danger', () => end(session)));
    return item;
  }

  byId('end-others').addEventListener('click', () => {
    if (!confirm('End every other session? Your API keys are revoked too.')) return;
    run(async () => {
      await request('DELETE', '/auth/sessions');
      await refresh();
      focusHeading('sessions-title');
      say('Ended every other session.');
    });
  });

  return {
    /** Replaces the list (this device first, then newest first); "End all other sessions" only when there is another. */
    render(sessions) {
      const ordered = [...sessions].sort((a, b) => Number(b.current) - Number(a.current));
      byId('sessions').replaceChildren(...ordered.map(card));
      byId('end-others-group').hidden = !sessions.some((session) => !session.current);
    },
  };
}
`;
