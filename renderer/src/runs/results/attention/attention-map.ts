import type { AttentionMap } from '@contract';

/** Which token's map to draw: the class token, the distillation token (distilled models), or their mean. */
export type AttentionToken = 'cls' | 'dist' | 'average';

/** One base64 uint8 grid (row-major, one byte per patch) as bytes. */
export function decodeGrid(base64: string): Uint8Array {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * The values to draw (0..255 per patch) for the chosen token. 'average' is the per-patch mean of
 * the class and distillation maps; a map without a distillation token always gives the class token's.
 */
export function tokenValues(map: AttentionMap, token: AttentionToken): Uint8Array {
  const cls = decodeGrid(map.cls);
  if (token === 'cls' || map.dist === undefined) return cls;
  const dist = decodeGrid(map.dist);
  if (token === 'dist') return dist;
  return cls.map((v, i) => Math.round((v + (dist[i] ?? 0)) / 2));
}

// A perceptual ramp (dark purple → orange → yellow, like "inferno"), as [position 0..1, r, g, b].
const STOPS: [number, number, number, number][] = [
  [0, 40, 11, 84],
  [0.35, 137, 34, 106],
  [0.65, 228, 90, 49],
  [1, 252, 255, 164],
];

/** A value 0..255 → [r, g, b, a]; weak attention is more transparent, so the picture stays visible. */
export function colour(value: number): [number, number, number, number] {
  const t = Math.min(1, Math.max(0, value / 255));
  let i = 0;
  while (i < STOPS.length - 2 && t > STOPS[i + 1]![0]) i++;
  const [p0, r0, g0, b0] = STOPS[i]!;
  const [p1, r1, g1, b1] = STOPS[i + 1]!;
  const k = (t - p0) / (p1 - p0);
  const mix = (a: number, b: number) => Math.round(a + (b - a) * k);
  return [mix(r0, r1), mix(g0, g1), mix(b0, b1), Math.round(80 + 175 * t)];
}

/** RGBA pixels of the grid (gw × gh), one pixel per patch: the canvas is scaled up (and smoothed) by CSS. */
export function attentionPixels(map: AttentionMap, token: AttentionToken): Uint8ClampedArray {
  const values = tokenValues(map, token);
  const out = new Uint8ClampedArray(values.length * 4);
  values.forEach((v, i) => out.set(colour(v), i * 4));
  return out;
}
