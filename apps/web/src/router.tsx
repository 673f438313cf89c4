import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** A small History API router: paths hold ids and codes only, never personal data. */

const listeners = new Set<() => void>();
let navigations = 0;

function notify(): void {
  navigations += 1;
  for (const listener of listeners) listener();
}

addEventListener('popstate', notify);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

/** Whether the app has moved since it loaded: pages then take the focus to their heading. */
export function hasNavigated(): boolean {
  return navigations > 0;
}

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
  /** Changes on every navigation, even to the same path. */
  readonly key: number;
}

function current(): Location {
  return { path: location.pathname, query: new URLSearchParams(location.search), key: navigations };
}

export function useLocation(): Location {
  const [state, setState] = useState(current);
  useEffect(() => {
    const listener = () => setState(current());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return state;
}

/** `/cases/:id` against `/cases/42` -> `{ id: '42' }`; undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const wanted = pattern.split('/').filter(Boolean);
  const actual = path.split('/').filter(Boolean);
  if (wanted.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of wanted.entries()) {
    const value = actual[i] ?? '';
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(value);
    else if (segment !== value) return undefined;
  }
  return params;
}

/** An ordinary link that the router follows without reloading (a new tab still works). */
export function Link({
  href,
  onClick,
  ...props
}: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      {...props}
      href={href}
      onClick={(event) => {
        if (typeof onClick === 'function') onClick(event);
        if (
          event.defaultPrevented ||
          event.button !== 0 ||
          event.metaKey ||
          event.ctrlKey ||
          event.shiftKey ||
          event.altKey
        )
          return;
        event.preventDefault();
        navigate(href);
      }}
    />
  );
}
