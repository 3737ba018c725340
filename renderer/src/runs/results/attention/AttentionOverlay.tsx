import { useEffect, useRef } from 'react';
import type { AttentionMap } from '@contract';
import { attentionPixels, type AttentionToken } from './attention-map';

/**
 * Where the map goes on the thumbnail: the model saw the centre `crop` of the picture's centre square
 * (its eval resize, then a centre crop of img_size), so the map covers that part, not the whole tile.
 */
export function cropBox(crop: number | undefined): { inset: string; width: string; height: string } | undefined {
  if (crop === undefined || crop >= 1) return undefined;
  const margin = `${((1 - crop) / 2) * 100}%`;
  return { inset: `${margin} auto auto ${margin}`, width: `${crop * 100}%`, height: `${crop * 100}%` };
}

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
      style={{ opacity, ...cropBox(map.crop) }}
      aria-hidden="true"
      data-testid="attention-overlay"
    />
  );
}
