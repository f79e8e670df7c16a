/**
 * The page's styles. Colours are chosen for contrast of at least 4.5:1 for text and 3:1 for
 * borders and the focus ring (checked by axe in the spec); one column of cards below 40rem, so a
 * 375 px wide phone never scrolls sideways.
 */
export const ACCOUNT_STYLES = `
:root {
  --text: #1b1b1b;
  --muted: #4d4d4d;
  --page: #f3f4f6;
  --panel: #ffffff;
  --line: #c4c8ce;
  --field: #6e6e6e;
  --accent: #1a5fb4;
  --accent-strong: #134785;
  --danger: #a51d2d;
  --ok: #0b5d1e;
  --ok-bg: #e6f4ea;
  --error: #8a1420;
  --error-bg: #fdecea;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
body {
  margin: 0;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--text);
  background: var(--page);
}
.top, main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
.top { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; }
h1 { font-size: 1.6rem; margin: 0; }
h2 { font-size: 1.3rem; margin: 0 0 0.25rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
.signed-in { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; overflow-wrap: anywhere; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 0.5rem; padding: 1rem; margin: 0 0 1.5rem; }
.hint { color: var(--muted); font-weight: normal; margin: 0 0 0.75rem; }
.message { margin: 0 0 1rem; padding: 0.75rem 1rem; border-radius: 0.5rem; border: 1px solid; }
.message:empty { padding: 0; margin: 0; border: 0; }
.message.ok { color: var(--ok); background: var(--ok-bg); }
.message.error { color: var(--error); background: var(--error-bg); }
.form { display: grid; gap: 0.75rem; max-width: 28rem; margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin: 0 0 0.25rem; }
label .hint { display: inline; }
input,
textarea {
  width: 100%;
  font: inherit;
  padding: 0.5rem 0.625rem;
  color: var(--text);
  background: #fff;
  border: 1px solid var(--field);
  border-radius: 0.375rem;
}
button {
  font: inherit;
  font-weight: 600;
  min-height: 2.75rem;
  padding: 0.5rem 1rem;
  color: #fff;
  background: var(--accent);
  border: 2px solid var(--accent);
  border-radius: 0.375rem;
  cursor: pointer;
}
button:hover { background: var(--accent-strong); border-color: var(--accent-strong); }
button.secondary { color: var(--accent); background: #fff; }
button.secondary:hover { color: var(--accent-strong); background: #e8eef7; }
button.danger { color: var(--danger); background: #fff; border-color: var(--danger); }
button.danger:hover { background: var(--error-bg); }
.form button { justify-self: start; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
h2:focus, h2:focus-visible { outline: none; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
.actions .hint { margin: 0; }
.cards {
  list-style: none;
  padding: 0;
  margin: 0 0 1rem;
  display: grid;
  gap: 0.75rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
}
.card { border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.75rem 1rem; min-width: 0; }
.card.current { border: 2px solid var(--ok); }
.card.paused { border-style: dashed; }
.card button + button { margin-left: 0.5rem; }
.card h3 { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.5rem; overflow-wrap: anywhere; }
.badge { font-size: 0.85rem; font-weight: 600; color: var(--ok); background: var(--ok-bg); border-radius: 1rem; padding: 0 0.6rem; }
.card dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.125rem 0.75rem; margin: 0 0 0.75rem; }
.card dl div { display: contents; }
.card dt { color: var(--muted); }
.card dd { margin: 0; overflow-wrap: anywhere; }
.card table.usage { margin-top: 0.75rem; border-collapse: collapse; font-variant-numeric: tabular-nums; }
.card table.usage caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
.card table.usage th, .card table.usage td { padding: 0.125rem 0.75rem 0.125rem 0; text-align: left; }
.card table.usage td { text-align: right; }
.card .agent { font-size: 0.9rem; }
.new-key { border: 2px solid var(--accent); border-radius: 0.5rem; padding: 1rem; margin: 0 0 1rem; background: #f5f8fc; }
.key-value { font-family: "DejaVu Sans Mono", ui-monospace, monospace; margin: 0 0 0.75rem; }
.list-title { margin-top: 0.5rem; }
.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
  border: 0;
}
`;
