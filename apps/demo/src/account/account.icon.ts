/** The page's icon (a key on the demo's blue), so the browser's favicon request finds something. */
export const ACCOUNT_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="6" fill="#1a5fb4"/>' +
  '<circle cx="11" cy="16" r="5" fill="none" stroke="#fff" stroke-width="3"/>' +
  '<path d="M16 16h11M23 16v5M27 16v4" stroke="#fff" stroke-width="3" fill="none"/>' +
  '</svg>';
