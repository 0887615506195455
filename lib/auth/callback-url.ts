// Where to go after sign-in comes from the query string, so it is attacker-controlled. Browsers
// and URL parsers normalise dot segments, backslashes, tabs and percent-encoded dots before
// they resolve a path, so the check runs on the normalised result, not on the raw text:
// "/.//evil.example" is harmless-looking raw but normalises to the network path "//evil.example".

const ORIGIN = 'http://skypost.invalid';
// C0 controls and DEL: the URL parser drops tabs and newlines, which can turn "/\t/x" into "//x".
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Undoes percent-encoding a few times (double-encoded input), stopping at invalid escapes. */
function decoded(value: string): string {
  let current = value;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

function isNetworkPath(path: string): boolean {
  return /^[/\\]{2}/.test(path);
}

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeCallbackPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2048) return fallback;
  if (!value.startsWith('/') || CONTROL.test(value) || CONTROL.test(decoded(value))) return fallback;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN) return fallback;
  const path = url.pathname;
  if (isNetworkPath(path) || isNetworkPath(decoded(path))) return fallback;
  return `${path}${url.search}${url.hash}`;
}

/**
 * For next-auth's `redirect` callback: an absolute URL on our own origin or a site path is
 * kept (after the same check), anything else becomes the home page.
 */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  let path: string;
  if (url.startsWith('/')) {
    path = url;
  } else {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return `${base.origin}/`;
    }
    if (target.origin !== base.origin) return `${base.origin}/`;
    path = `${target.pathname}${target.search}${target.hash}`;
  }
  return `${base.origin}${safeCallbackPath(path, '/')}`;
}
