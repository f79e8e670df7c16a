/**
 * The account page: static markup only. The script fills it in with DOM APIs (never `innerHTML`),
 * and the two live regions at the top carry every outcome: `status` for success, `alert` for
 * errors, with the message the library's error body gives.
 */
export const ACCOUNT_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Your account · nestjs-multi-token-auth demo</title>
    <link rel="icon" href="/account/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/account/account.css" />
    <script type="module" src="/account/js/main.js"></script>
  </head>
  <body>
    <header class="top">
      <h1>Your account</h1>
      <div id="signed-in" class="signed-in" hidden>
        <span>Signed in as <strong id="username"></strong></span>
        <button type="button" id="logout" class="secondary">Log out</button>
      </div>
    </header>
    <main>
      <p id="status" role="status" class="message ok"></p>
      <p id="alert" role="alert" class="message error"></p>
      <noscript><p>This page needs JavaScript: it calls the sign-in routes from your browser.</p></noscript>

      <section id="login-view" class="panel" aria-labelledby="login-title" hidden>
        <h2 id="login-title" tabindex="-1">Log in</h2>
        <form id="login-form" class="form" method="post">
          <div class="field">
            <label for="login-username">Username</label>
            <input id="login-username" name="username" autocomplete="username" autocapitalize="none" required />
          </div>
          <div class="field">
            <label for="login-password">Password</label>
            <input id="login-password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <div class="field">
            <label for="login-name">Name this device <span class="hint">(optional, e.g. “Work laptop”)</span></label>
            <input id="login-name" name="name" maxlength="100" autocomplete="off" />
          </div>
          <button type="submit">Log in</button>
        </form>
      </section>

      <div id="account-view" hidden>
        <section class="panel" aria-labelledby="sessions-title">
          <h2 id="sessions-title" tabindex="-1">Sessions</h2>
          <p class="hint">Every device and app signed in to your account.</p>
          <ul id="sessions" class="cards"></ul>
          <div id="end-others-group" class="actions">
            <button type="button" id="end-others" class="danger">End all other sessions</button>
            <p class="hint">Signs out every other device. Your API keys are revoked too.</p>
          </div>
        </section>

        <section id="keys-section" class="panel" aria-labelledby="keys-title">
          <h2 id="keys-title" tabindex="-1">API keys</h2>
          <p class="hint">For scripts and other programs. A key is shown once, when you create it.</p>
          <form id="key-form" class="form" method="post">
            <div class="field">
              <label for="key-name">Key name</label>
              <input id="key-name" name="name" maxlength="100" autocomplete="off" required />
            </div>
            <div class="field">
              <label for="key-days">Expires after <span class="hint">(days; leave empty for never)</span></label>
              <input id="key-days" name="expiresInDays" type="number" min="1" max="3650" step="1" inputmode="numeric" />
            </div>
            <div class="field">
              <label for="key-password">Your password <span class="hint">(to confirm it is you)</span></label>
              <input id="key-password" name="password" type="password" autocomplete="current-password" required />
            </div>
            <button type="submit">Create API key</button>
          </form>

          <form id="roll-form" class="form" method="post" aria-labelledby="roll-title" hidden>
            <h3 id="roll-title" tabindex="-1">Roll “<span id="roll-name"></span>”</h3>
            <p class="hint">A new key replaces this one, with the same name, scopes and lifetime.</p>
            <div class="field">
              <label for="roll-overlap">The old key keeps working for</label>
              <select id="roll-overlap" name="overlapSeconds">
                <option value="0">No time: revoke it now</option>
                <option value="3600" selected>1 hour</option>
                <option value="86400">1 day</option>
                <option value="604800">7 days</option>
              </select>
            </div>
            <div class="field">
              <label for="roll-password">Password to confirm the roll</label>
              <input id="roll-password" name="password" type="password" autocomplete="current-password" required />
            </div>
            <div class="actions">
              <button type="submit">Roll key</button>
              <button type="button" id="roll-cancel" class="secondary">Cancel</button>
            </div>
          </form>

          <form id="ips-form" class="form" method="post" aria-labelledby="ips-title" hidden>
            <h3 id="ips-title" tabindex="-1">Addresses for “<span id="ips-name"></span>”</h3>
            <p class="hint" id="ips-hint">One address or network per line, such as 203.0.113.0/24 or 2001:db8::/32. Leave it empty to allow any address.</p>
            <div class="field">
              <label for="ips-list">Allowed addresses</label>
              <textarea id="ips-list" name="allowedIps" rows="4" spellcheck="false" autocomplete="off" aria-describedby="ips-hint"></textarea>
            </div>
            <div class="actions">
              <button type="submit">Save addresses</button>
              <button type="button" id="ips-cancel" class="secondary">Cancel</button>
            </div>
          </form>

          <div id="new-key" class="new-key" hidden>
            <h3 id="new-key-title">New API key “<span id="new-key-name"></span>”</h3>
            <p>Copy it now: it is shown only this once. After you close this box or reload the page, it cannot be shown again.</p>
            <label for="new-key-value">API key</label>
            <input id="new-key-value" class="key-value" readonly autocomplete="off" spellcheck="false" />
            <div class="actions">
              <button type="button" id="copy-key">Copy</button>
              <button type="button" id="dismiss-key" class="secondary">Done</button>
            </div>
          </div>

          <h3 class="list-title">Your keys</h3>
          <ul id="keys" class="cards"></ul>
          <p id="no-keys" class="hint">No API keys yet.</p>
        </section>
      </div>
    </main>
  </body>
</html>
`;
