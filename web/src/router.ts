/** A page of the app: draws itself into `main` and returns a cleanup (stop timers and polling). */
export type Page = (main: HTMLElement, params: Record<string, string>, query: URLSearchParams) => Promise<Cleanup | void> | Cleanup | void;
export type Cleanup = () => void;

interface Route {
  pattern: RegExp;
  names: string[];
  page: Page;
}

const routes: Route[] = [];
let notFoundPage: Page = () => undefined;
const routeChangeListeners: (() => void)[] = [];
let cleanup: Cleanup | undefined;
let renderCount = 0;

/** Registers a page for a path like `/events/:eventId`. */
export function route(path: string, page: Page): void {
  const names: string[] = [];
  const source = path.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  routes.push({ pattern: new RegExp(`^${source}/?$`), names, page });
}

/** The page for any path no route matches. */
export function notFound(page: Page): void {
  notFoundPage = page;
}

/** Called whenever the URL changes to another page, before that page draws (e.g. links that depend on the current path). */
export function onRouteChange(listener: () => void): void {
  routeChangeListeners.push(listener);
}

/** Goes to a path of the app without reloading (history routing; the server answers index.html for it). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

/** Draws the page of the current URL. After the first page, focus moves to its heading so screen readers start there. */
export async function render(): Promise<void> {
  const main = document.getElementById('main')!;
  const current = ++renderCount;
  cleanup?.();
  cleanup = undefined;
  const { pathname, search } = window.location;
  for (const listener of routeChangeListeners) listener();
  const found = routes.find((candidate) => candidate.pattern.test(pathname));
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');
  const match = found?.pattern.exec(pathname) ?? [];
  const params = Object.fromEntries((found?.names ?? []).map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
  const result = await (found?.page ?? notFoundPage)(main, params, new URLSearchParams(search));
  if (current !== renderCount) {
    // The buyer navigated on while this page was loading.
    result?.();
    return;
  }
  cleanup = result ?? undefined;
  main.removeAttribute('aria-busy');
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} — ticketkit` : 'ticketkit';
  if (current > 1 && heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** Same-origin links marked `data-link` navigate inside the app. */
export function startRouter(): void {
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
  window.addEventListener('popstate', () => void render());
  void render();
}
