// Real image files and dataset folders for the dataset-scan tests: generated in pure Node (PNG) or
// copied from the committed fixtures in tests/fixtures/images (made by make-fixtures.py with Pillow).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pngChunk as chunk, rgbPng } from '../../../helpers/png';

/** The committed real image files (relative to the repository root, where vitest and `npm run bench` run). */
export const FIXTURES = path.resolve('tests/fixtures/images');

/** Bytes of one committed fixture image. */
export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name));
}

/** A real, decodable RGB PNG of `width` × `height` whose pixels depend on `seed`. */
export function makePng(width: number, height: number, seed = 0): Buffer {
  return rgbPng(width, height, (x, y) => [(x * 7 + seed) & 255, (y * 5 + seed * 3) & 255, (seed * 11) & 255]);
}

/** A valid PNG whose header claims `width` × `height` (a decompression bomb's header) with almost no data. */
export function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const png = makePng(1, 1);
  return Buffer.concat([png.subarray(0, 8), chunk('IHDR', ihdr), png.subarray(8 + 25)]);
}

/** The same PNG with a text chunk after IHDR: a different file that decodes to the same picture. */
export function withPngText(png: Buffer, text: string): Buffer {
  const afterIhdr = 8 + 25;
  return Buffer.concat([
    png.subarray(0, afterIhdr),
    chunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1')),
    png.subarray(afterIhdr),
  ]);
}

/** The same JPEG with a comment segment after SOI: a different file that decodes to the same picture. */
export function withJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const header = Buffer.from([0xff, 0xfe, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}

/** A temporary folder for one test, removed by `cleanup`. */
export interface TempFolder {
  root: string;
  /** Writes a file (creating its folders); `bytes` may be a fixture name prefixed with "fixture:". */
  write(relative: string, bytes: Buffer | string): string;
  mkdir(relative: string): string;
  link(relative: string, target: string): string;
  cleanup(): void;
}

/** Makes a temporary folder for one test. */
export function tempFolder(prefix = 'deit-dataset-'): TempFolder {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const at = (relative: string) => path.join(root, ...relative.split('/'));
  return {
    root,
    write(relative, bytes) {
      const file = at(relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const content = typeof bytes === 'string' && bytes.startsWith('fixture:') ? fixture(bytes.slice(8)) : bytes;
      fs.writeFileSync(file, content);
      return file;
    },
    mkdir(relative) {
      fs.mkdirSync(at(relative), { recursive: true });
      return at(relative);
    },
    link(relative, target) {
      fs.mkdirSync(path.dirname(at(relative)), { recursive: true });
      fs.symlinkSync(target, at(relative));
      return at(relative);
    },
    cleanup() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
