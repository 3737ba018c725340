import { useEffect, useRef } from 'react';

/**
 * Moves keyboard and screen-reader focus to the new screen's heading when the route changes (not on
 * the first load), so the user hears where they are instead of staying on the link they pressed.
 */
export function useFocusOnNavigation(routeKey: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = document.getElementById('main');
    const heading = main?.querySelector<HTMLElement>('h1');
    // Screens that do not make their heading focusable still get it (tabindex -1: not a Tab stop).
    if (heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    (heading ?? main)?.focus();
  }, [routeKey]);
}
