import { useEffect, useRef, useState } from 'react';
import { loadThumbnail } from './thumbnail-cache';

/** One image of the dataset, fetched only when it scrolls into view. */
export function DatasetThumbnail({ root, file, alt }: { root: string; file: string; alt: string }) {
  const box = useRef<HTMLSpanElement>(null);
  const [visible, setVisible] = useState(typeof IntersectionObserver === 'undefined');
  const [loaded, setLoaded] = useState<{ file: string; src: string | null } | null>(null);

  useEffect(() => {
    if (visible || !box.current) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setVisible(true);
    });
    observer.observe(box.current);
    return () => observer.disconnect();
  }, [visible]);

  useEffect(() => {
    if (!visible) return;
    let live = true;
    void loadThumbnail(root, file).then((src) => {
      if (live) setLoaded({ file, src });
    });
    return () => {
      live = false;
    };
  }, [visible, root, file]);

  const current = loaded?.file === file ? loaded : null;
  return (
    <span ref={box} className="thumbnail">
      {current?.src ? (
        <img src={current.src} alt={alt} width={88} height={88} />
      ) : (
        <span className="thumbnail-placeholder" role="img" aria-label={current ? `${alt} (no preview)` : alt}>
          {current ? 'No preview' : ''}
        </span>
      )}
    </span>
  );
}
