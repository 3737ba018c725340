import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * The content width of an element in CSS pixels, kept current with a ResizeObserver.
 * 0 where the browser cannot measure (jsdom in component tests): charts then show their text only.
 */
export function useElementWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    // Round to whole pixels so sub-pixel layout jitter does not redraw charts.
    const measure = (w: number) => setWidth(Math.max(0, Math.floor(w)));
    measure(element.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) measure(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
