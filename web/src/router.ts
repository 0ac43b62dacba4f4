// History-API routing: paths like /apps/<sha> are deep-linkable (the server
// answers every non-API path with index.html).

/** A page renderer: fills `root`; may return a cleanup called on leave. */
export type Page = (root: HTMLElement, params: Record<string, string>) => Promise<(() => void) | void>;

interface Route {
  pattern: RegExp;
  keys: string[];
  page: Page;
  nav: string;
}

const routes: Route[] = [];

/** Registers `path` (segments like `:sha` are parameters); `nav` names the menu entry to highlight. */
export function route(path: string, nav: string, page: Page): void {
  const keys: string[] = [];
  const source = path.replace(/:([a-z]+)/g, (_, key: string) => {
    keys.push(key);
    return "([^/]+)";
  });
  routes.push({ pattern: new RegExp(`^${source}/?$`), keys, page, nav });
}

/** The route matching `path`, with decoded parameters. */
export function match(path: string): { page: Page; params: Record<string, string>; nav: string } | null {
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      r.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1] ?? "")));
    } catch {
      return null;
    }
    return { page: r.page, params, nav: r.nav };
  }
  return null;
}

let listener: () => void = () => {};

/** Navigates to `path` without reloading (adds a history entry). */
export function navigate(path: string, replaceEntry = false): void {
  if (replaceEntry) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  listener();
}

/** Starts listening to back/forward and to clicks on same-origin links. */
export function startRouter(onChange: () => void): void {
  listener = onChange;
  window.addEventListener("popstate", onChange);
  document.addEventListener("click", (event) => {
    const a = (event.target as Element | null)?.closest?.("a");
    if (!a || a.target || a.hasAttribute("download") || event.defaultPrevented) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
