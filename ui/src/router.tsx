// A small history router: the console's pages are deep links under /ui/ (the gateway answers
// index.html for each), so the path is the state; links push it, back/forward pop it.
import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from 'react';

export const BASE = '/ui';

const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};
window.addEventListener('popstate', notify);

/** The console path without /ui, e.g. /devices/x1000c0s0b0n0, and the query string. */
export function currentRoute(): { path: string; query: URLSearchParams } {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return { path: path || '/', query: new URLSearchParams(window.location.search) };
}

export function href(path: string): string {
  return `${BASE}${path.startsWith('/') ? path : `/${path}`}`;
}

export function navigate(path: string, { replace = false } = {}): void {
  const url = href(path);
  if (url === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  notify();
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return route;
}

/** An anchor that navigates in the page (a modified click still opens a new tab). */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
    window.scrollTo(0, 0);
  };
  return <a href={href(to)} onClick={onClick} {...rest} />;
}

/** A device page's link: by xname when the device has a position, else by id. */
export function devicePath(device: { id: string; position?: { xname: string } | null }): string {
  return `/devices/${encodeURIComponent(device.position?.xname ?? device.id)}`;
}
