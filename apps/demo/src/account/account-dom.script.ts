/**
 * `dom.js`: building elements and announcing outcomes. Text goes in with `textContent` only, so a
 * session name such as `<img onerror=…>` shows as those characters and never becomes markup.
 */
export const ACCOUNT_DOM_SCRIPT = String.raw`
export const byId = (id) => document.getElementById(id);

/** An element with a class (optional) and children: strings become text nodes, never markup. */
export function element(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children.filter((child) => child !== null));
  return node;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A <time datetime="…"> in the reader's locale, or the text for a missing date. */
export function time(iso, missing) {
  if (!iso) return missing;
  const node = document.createElement('time');
  node.dateTime = iso;
  node.textContent = dateFormat.format(new Date(iso));
  return node;
}

/** A <dl> of [term, value] pairs, skipping empty values. */
export function details(rows) {
  const list = element('dl');
  for (const [term, value, className] of rows) {
    if (value === null || value === undefined || value === '') continue;
    list.append(element('div', className, element('dt', '', term), element('dd', '', value)));
  }
  return list;
}

/** A button whose visible text is short and whose accessible name says what it acts on. */
export function actionButton(text, target, className, onClick) {
  const button = element('button', className, text, element('span', 'visually-hidden', ' ' + target));
  button.type = 'button';
  button.addEventListener('click', onClick);
  return button;
}

/** Success, in the polite live region. */
export function say(text) {
  byId('status').textContent = text;
}

/** Failure, in the alert region (read at once by screen readers). */
export function alarm(text) {
  byId('alert').textContent = text;
}

export function clearMessages() {
  byId('status').textContent = '';
  byId('alert').textContent = '';
}

/** Moves focus to a heading after its content changed, so keyboard users are not left on <body>. */
export function focusHeading(id) {
  byId(id).focus();
}
`;
