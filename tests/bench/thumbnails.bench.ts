// Gallery previews of 100 photos of 12 megapixels (4000×3000 JPEGs, noise over gradients so they
// weigh what camera photos weigh): bytes sent to the renderer and time to the first screenful (the
// first 24 tiles, asked for 4 at a time as the Dataset step does), for the old rule (the file itself up to
// 4 MiB, or its Exif preview) and for sharp's cached 256 px thumbnails, cold (first view) and warm.
// Run: npm run bench -- thumbnails   (PHOTOS=20 npm run bench -- thumbnails for a quicker run)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {
  readThumbnail,
  THUMBNAIL_LIMITS,
  type ThumbnailLimits,
} from '../../electron/core/dataset/thumbnails/dataset-thumbnail';

const PHOTOS = Number(process.env.PHOTOS ?? 100);
const SCREENFUL = 24;
const WIDTH = 4000;
const HEIGHT = 3000;

/**
 * Writes the photos: one field of grain over gradients and waves (detail that survives shrinking, as
 * in a real scene), each photo a different tint of it.
 */
async function generate(root: string): Promise<number> {
  const noise = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let i = 0; i < noise.length; i++) {
    const x = Math.floor(i / 3) % WIDTH;
    const y = Math.floor(i / 3 / WIDTH);
    const wave = 50 * Math.sin(x / 23 + (i % 3)) * Math.cos(y / 41);
    const value = ((x + y) * 140) / (WIDTH + HEIGHT) + 60 + wave + Math.random() * 40;
    noise[i] = Math.max(0, Math.min(255, value));
  }
  await fs.mkdir(path.join(root, 'photos'));
  let total = 0;
  for (let i = 0; i < PHOTOS; i++) {
    const tint = [1 - (i % 7) * 0.05, 0.8 + (i % 5) * 0.05, 0.7 + (i % 3) * 0.1];
    const bytes = await sharp(noise, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
      .linear(tint, [i % 20, 0, 10])
      .jpeg({ quality: 85 })
      .toBuffer();
    total += bytes.length;
    await fs.writeFile(path.join(root, 'photos', `IMG_${String(i).padStart(4, '0')}.jpg`), bytes);
  }
  return total;
}

/** How many previews the Dataset step asks for at a time (docs/renderer.md). */
const IN_FLIGHT = 4;

/** The previews of the given files, 4 at a time as the renderer asks; bytes as sent (base64) and failures. */
async function previews(root: string, files: string[], limits: ThumbnailLimits) {
  const start = performance.now();
  const results: Array<number | null> = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await readThumbnail(root, files[i]!, limits).then(
        (thumb) => thumb.dataBase64.length,
        () => null,
      );
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const sent = results.filter((n): n is number => n !== null);
  return {
    ms: Math.round(performance.now() - start),
    bytesSent: sent.reduce((a, b) => a + b, 0),
    shown: sent.length,
    failed: results.length - sent.length,
  };
}

async function main(): Promise<void> {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'deit-bench-thumbs-')));
  const cacheDir = path.join(root, 'cache');
  try {
    let t = performance.now();
    const fileBytes = await generate(root);
    console.log(
      `generated ${PHOTOS} photos of ${WIDTH}×${HEIGHT}, ${(fileBytes / PHOTOS / 2 ** 20).toFixed(2)} MiB each on average, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const files = (await fs.readdir(path.join(root, 'photos'))).sort().map((f) => `photos/${f}`);
    const first = files.slice(0, SCREENFUL);
    const withCache = { ...THUMBNAIL_LIMITS, cacheDir };
    const before = {
      screenful: await previews(root, first, THUMBNAIL_LIMITS),
      all: await previews(root, files, THUMBNAIL_LIMITS),
    };
    // What the renderer must do next with the old previews: decode each 12 MP JPEG at full size (sharp as
    // a stand-in for Chromium's decoder, 4 at a time). A 256 px thumbnail's decode is negligible.
    t = performance.now();
    const decodeQueue = [...first];
    const decoder = async () => {
      for (let file = decodeQueue.shift(); file; file = decodeQueue.shift()) {
        await sharp(path.join(root, file)).raw().toBuffer();
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, decoder));
    const decodeMs = Math.round(performance.now() - t);
    const cold = await previews(root, first, withCache);
    t = performance.now();
    const coldAll = await previews(root, files, withCache); // the rest made now; the first 24 come from the cache
    const restMs = Math.round(performance.now() - t);
    const warm = { screenful: await previews(root, first, withCache), all: await previews(root, files, withCache) };
    const mib = (n: number) => Math.round((n / 2 ** 20) * 100) / 100;
    const result = {
      name: 'thumbnails',
      photos: PHOTOS,
      megapixels: (WIDTH * HEIGHT) / 1e6,
      averageFileMiB: mib(fileBytes / PHOTOS),
      before: {
        screenfulMs: before.screenful.ms,
        screenfulFullDecodeMs: decodeMs,
        screenfulMiBSent: mib(before.screenful.bytesSent),
        screenfulShown: before.screenful.shown,
        allMiBSent: mib(before.all.bytesSent),
        allShown: before.all.shown,
      },
      after: {
        coldScreenfulMs: cold.ms,
        coldRestMs: restMs,
        warmScreenfulMs: warm.screenful.ms,
        screenfulKiBSent: Math.round(cold.bytesSent / 1024),
        screenfulShown: cold.shown,
        allMiBSent: mib(coldAll.bytesSent),
        allShown: coldAll.shown,
        warmAllMs: warm.all.ms,
      },
      cpus: os.cpus().length,
      loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10,
    };
    console.log(
      `before (file itself ≤ 4 MiB, or Exif preview): first ${SCREENFUL} in ${before.screenful.ms} ms (+ ${decodeMs} ms to decode them at full size), ${result.before.screenfulMiBSent} MiB sent, ${before.screenful.shown} shown; all ${PHOTOS}: ${result.before.allMiBSent} MiB, ${before.all.shown} shown`,
    );
    console.log(
      `after (sharp, 256 px, cached): first ${SCREENFUL} in ${cold.ms} ms cold, ${warm.screenful.ms} ms warm, ${result.after.screenfulKiBSent} KiB sent; all ${PHOTOS}: ${result.after.allMiBSent} MiB, ${coldAll.shown} shown`,
    );
    console.log(`BENCH ${JSON.stringify(result)}`);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

await main();
