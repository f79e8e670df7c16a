/**
 * `keys.js`: the API-key panel: the list, the creation form and the one-time display of a new key.
 * The key's only copy in the page is the read-only field's value, cleared by "Done", by logout, by
 * its revocation and by leaving the page; it is never written to storage, a cookie or the URL.
 */
export const ACCOUNT_KEYS_SCRIPT = String.raw`
import { request } from './api.js';
import { actionButton, byId, details, element, focusHeading, say, time } from './dom.js';

function scopesText(scopes) {
  if (scopes === null) return 'All that API keys may have';
  return scopes.length ? scopes.join(', ') : 'None';
}

/** The panel, given main.js's run and refresh (as the sessions panel). Returns render(keys). */
export function keysPanel({ run, refresh }) {
  const field = byId('new-key-value');
  let shownId = null;

  function show(key) {
    shownId = key.id;
    byId('new-key-name').textContent = key.name;
    field.value = key.token;
    byId('new-key').hidden = false;
    field.focus();
    field.select();
  }

  function hide() {
    shownId = null;
    field.value = '';
    byId('new-key-name').textContent = '';
    byId('new-key').hidden = true;
  }

  // Leaving the page clears the key, so a page restored from the back/forward cache never shows it.
  window.addEventListener('pagehide', hide);

  function revoke(key) {
    run(async () => {
      await request('DELETE', '/auth/api-keys/' + encodeURIComponent(key.id));
      await refresh();
      focusHeading('keys-title');
      say('Revoked the API key “' + (key.name ?? 'Replaced key') + '”.');
    });
  }

  // A paused key is refused (401 key_disabled) until resumed; it stays listed and revocable.
  function setEnabled(key, enabled) {
    run(async () => {
      await request('PATCH', '/auth/api-keys/' + encodeURIComponent(key.id), { enabled });
      await refresh();
      say((enabled ? 'Resumed' : 'Paused') + ' the API key “' + (key.name ?? 'Replaced key') + '”.');
    });
  }

  // One roll form for the page, filled by a card's Roll button.
  let rolling = null;
  function startRoll(key) {
    rolling = key;
    byId('roll-name').textContent = key.name;
    byId('roll-form').hidden = false;
    byId('roll-password').value = '';
    byId('roll-overlap').focus();
  }
  function endRoll() {
    rolling = null;
    byId('roll-form').hidden = true;
    byId('roll-password').value = '';
  }
  byId('roll-cancel').addEventListener('click', () => {
    endRoll();
    focusHeading('keys-title');
  });
  byId('roll-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = rolling;
    const fields = new FormData(event.currentTarget);
    const body = { overlapSeconds: Number(fields.get('overlapSeconds')), password: fields.get('password') };
    byId('roll-password').value = '';
    run(async () => {
      const rolled = await request('POST', '/auth/api-keys/' + encodeURIComponent(key.id) + '/roll', body);
      endRoll();
      show(rolled);
      say('Rolled the API key “' + rolled.name + '”. Copy the new key now: it is shown only once.');
      await refresh();
    });
  });

  // One allow-list form for the page, filled by a card's Addresses button.
  let listing = null;
  function startIps(key) {
    listing = key;
    byId('ips-name').textContent = key.name;
    byId('ips-list').value = (key.allowedIps ?? []).join('\n');
    byId('ips-form').hidden = false;
    byId('ips-list').focus();
  }
  function endIps() {
    listing = null;
    byId('ips-form').hidden = true;
  }
  byId('ips-cancel').addEventListener('click', () => {
    endIps();
    focusHeading('keys-title');
  });
  byId('ips-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = listing;
    const lines = byId('ips-list').value.split(/[\s,]+/).filter(Boolean);
    run(async () => {
      await request('PATCH', '/auth/api-keys/' + encodeURIComponent(key.id), {
        allowedIps: lines.length ? lines : null,
      });
      endIps();
      await refresh();
      focusHeading('keys-title');
      say(lines.length ? 'Saved the addresses of “' + key.name + '”.' : '“' + key.name + '” may be used from any address.');
    });
  });

  // A key's last 7 days, loaded when asked for, as a table in its card.
  function showUsage(key, box) {
    run(async () => {
      const usage = await request('GET', '/auth/api-keys/' + encodeURIComponent(key.id) + '/usage?days=7');
      const table = element('table', 'usage');
      table.append(element('caption', '', 'Requests in the last 7 days: ' + usage.total + ' (' + usage.refused + ' refused)'));
      const head = element('tr', '', element('th', '', 'Day'), element('th', '', 'Requests'), element('th', '', 'Refused'));
      for (const cell of head.children) cell.scope = 'col';
      table.append(element('thead', '', head));
      const body = element('tbody');
      for (const day of usage.days) {
        const date = element('th', '', day.date);
        date.scope = 'row';
        body.append(element('tr', '', date, element('td', '', String(day.requests)), element('td', '', String(day.refused))));
      }
      table.append(body);
      box.replaceChildren(table);
      say('Showing the use of “' + (key.name ?? 'Replaced key') + '”.');
    });
  }

  function card(key) {
    // A key rolled with an overlap has no name of its own any more: its replacement has it.
    const label = key.name === null ? 'Replaced key' : key.name;
    const target = 'key “' + label + '”';
    const usageBox = element('div', 'usage-box');
    return element(
      'li',
      key.enabled ? 'card' : 'card paused',
      element('h3', '', label),
      details([
        ['Status', key.replacedBy ? 'Replaced: works until it expires' : key.enabled ? 'Active' : 'Paused: every request with it is refused'],
        ['Created', time(key.createdAt)],
        ['Last used', time(key.lastUsedAt, 'Not yet')],
        ['Expires', time(key.expiresAt, 'Never')],
        ['Scopes', scopesText(key.scopes)],
        ['Allowed from', key.allowedIps ? key.allowedIps.join(', ') : 'Any address'],
        ['Last address', key.lastIp ?? 'Not yet'],
      ]),
      key.enabled
        ? actionButton('Pause', target, '', () => setEnabled(key, false))
        : actionButton('Resume', target, '', () => setEnabled(key, true)),
      key.replacedBy ? null : actionButton('Roll', target, '', () => startRoll(key)),
      key.replacedBy ? null : actionButton('Addresses', target, '', () => startIps(key)),
      actionButton('Usage', target, '', () => showUsage(key, usageBox)),
      actionButton('Revoke', target, 'danger', () => revoke(key)),
      usageBox,
    );
  }

  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    const body = { name: String(fields.get('name')).trim(), password: fields.get('password') };
    const days = String(fields.get('expiresInDays'));
    if (days) body.expiresInDays = Number(days);
    byId('key-password').value = '';
    run(async () => {
      const key = await request('POST', '/auth/api-keys', body);
      byId('key-form').reset();
      // Shown before the list reloads: should that fail, the key would otherwise be lost for good.
      show(key);
      say('Created the API key “' + key.name + '”. Copy it now: it is shown only once.');
      await refresh();
    });
  });

  // The Clipboard API where the page may use it (HTTPS or localhost); elsewhere, or if refused,
  // the key is left selected in its field for Ctrl+C.
  byId('copy-key').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      say('Copied the key.');
    } catch {
      field.focus();
      field.select();
      say('Copying is not available here: the key is selected, press Ctrl+C to copy it.');
    }
  });

  byId('dismiss-key').addEventListener('click', () => {
    hide();
    focusHeading('keys-title');
    say('The key is hidden and cannot be shown again.');
  });

  return {
    /** Replaces the list; a shown key that is no longer listed (revoked, logged out) is hidden. */
    render(keys) {
      byId('keys').replaceChildren(...keys.map(card));
      byId('no-keys').hidden = keys.length > 0;
      if (shownId !== null && !keys.some((key) => key.id === shownId)) hide();
    },
  };
}
`;
