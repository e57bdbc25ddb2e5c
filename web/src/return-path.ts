/** The login and register pages: never a place to return to after logging in (they would only ask again). */
const authPage = /^\/(login|register)\/?$/;

/**
 * The `next` of `/login?next=…` when it is a path of this site, else `/`. Only a single leading `/`
 * passes (never `//host`, a scheme or a backslash), and the URL the browser would make of it must still
 * be on this origin (the URL parser drops tabs and newlines, which could otherwise turn `/\t/` into `//`).
 */
export function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  const url = new URL(raw, window.location.origin);
  if (url.origin !== window.location.origin || authPage.test(url.pathname)) return '/';
  return url.pathname + url.search + url.hash;
}

/** Where logging in from the page on screen leads back to: that page, or on a login page its own `next`. */
export function currentReturnPath(): string {
  const { pathname, search } = window.location;
  return authPage.test(pathname) ? safeNext(new URLSearchParams(search).get('next')) : pathname + search;
}

/** The link to `/login` or `/register` that leads back to `next` afterwards. */
export function authHref(page: '/login' | '/register', next = currentReturnPath()): string {
  return next === '/' ? page : `${page}?next=${encodeURIComponent(next)}`;
}
