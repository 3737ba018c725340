import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { rgbPng } from '../helpers/png';

// A tiny dataset of real PNGs for the UI tests, written by tests/helpers/png.ts (no image library needed).

/** A real RGB PNG of the given size, coloured by `pixel`. */
export const png = rgbPng;

/**
 * birds/{finch,robin,wren}: `perClass` real PNGs each (learnable: each class has its own colours),
 * plus what real folders also hold: one corrupt image, one text file, hidden files.
 */
export function makeBirdsDataset({ perClass }: { perClass: number }): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-wizard-e2e-'));
  const root = path.join(parent, 'birds');
  const classes: Array<[string, [number, number, number]]> = [
    ['finch', [220, 160, 40]],
    ['robin', [200, 60, 50]],
    ['wren', [110, 80, 50]],
  ];
  for (const [name, [r, g, b]] of classes) {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const image = png(96, 96, (x, y) => ((x + y + i * 7) % 24 < 12 ? [r, g, b] : [255 - r, 255 - g, 255 - b]));
      fs.writeFileSync(path.join(root, name, `${String(i).padStart(3, '0')}.png`), image);
    }
  }
  fs.writeFileSync(path.join(root, 'finch', 'broken.png'), Buffer.from('this is not a PNG at all'));
  fs.writeFileSync(path.join(root, 'robin', 'notes.txt'), 'field notes');
  fs.writeFileSync(path.join(root, '.DS_Store'), Buffer.alloc(16));
  fs.writeFileSync(
    path.join(root, 'wren', '.hidden.png'),
    png(8, 8, () => [0, 0, 0]),
  );
  return root;
}
