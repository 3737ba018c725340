import { useEffect, useRef } from 'react';
import type { AttentionMap } from '@contract';
import { attentionPixels, type AttentionToken } from './attention-map';

/**
 * The attention map drawn over a square thumbnail (object-fit: cover, so it shows the picture's centre
 * square, about the model's centre crop). The canvas holds one pixel per patch and is stretched over
 * the image; `image-rendering: auto` lets the browser smooth it bilinearly. Decorative for screen
 * readers: the explanation and the controls are beside the gallery.
 */
export function AttentionOverlay({
  map,
  token,
  opacity,
}: {
  map: AttentionMap;
  token: AttentionToken;
  opacity: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [rows, cols] = map.grid;

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return; // no 2D canvas (a test DOM): the overlay stays empty
    const image = context.createImageData(cols, rows);
    image.data.set(attentionPixels(map, token));
    context.putImageData(image, 0, 0);
  }, [map, token, rows, cols]);

  return (
    <canvas
      ref={canvas}
      className="attention-overlay"
      width={cols}
      height={rows}
      style={{ opacity }}
      aria-hidden="true"
      data-testid="attention-overlay"
    />
  );
}
