import { useEffect, useState } from 'react';

/** A parsed hash route: `#/new/dataset` → ['new', 'dataset']. */
export type Route = string[];

export function parseRoute(hash: string): Route {
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
}

/** Navigates to a route like '/runs/abc'. */
export function navigate(path: string): void {
  window.location.hash = path.startsWith('/') ? path : `/${path}`;
}

/** The current hash route; re-renders on change. Hash routing works from file, app:// and http origins alike. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
