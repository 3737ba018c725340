/**
 * Near-duplicates across classes: pictures in two different classes that are the same photo resized,
 * re-encoded or saved in another format (byte-identical copies are the scan's own duplicate warning).
 * Each usable image gets a perceptual hash (image-hash.ts); pairs of images of different classes whose
 * hashes differ in at most NEAR_DUPLICATE_BITS bits are reported, closest first.
 *
 *   const found = await findSimilarAcrossClasses(images, classNames, { signal, onProgress });
 *   found.pairs  // [{ a, b, classA, classB, distance }]
 *
 * Comparing every pair would cost n² (5·10⁹ for 100,000 images); instead the 64 bits are cut into
 * NEAR_DUPLICATE_BITS + 1 blocks: two hashes at most that many bits apart agree exactly on at least one
 * block (pigeonhole), so only images sharing a block value are compared (multi-index hashing).
 * Hashes are kept for the session by file content (size and fingerprint), so a second check is instant.
 */
import { forEachBounded } from '../scan/bounded-pool';
import { hammingDistance, NEAR_DUPLICATE_BITS, perceptualHash, type Hash64, type NoHash } from './image-hash';
import type { ImageRecord } from '../scan/inspect-image-file';
import { createThrottle } from '../scan/progress-throttle';
import { throwIfCancelled } from '../scan/scan-errors';

/** Two images of different classes that look the same. Paths relative to the dataset root. */
export interface SimilarPair {
  a: string;
  b: string;
  classA: string;
  classB: string;
  /** Hash bits that differ (0–NEAR_DUPLICATE_BITS): 0 is the same picture as far as the hash can tell. */
  distance: number;
}

export interface SimilarFindings {
  /** The closest pairs first, at most `maxPairs`. */
  pairs: SimilarPair[];
  pairsTotal: number;
  /** Images hashed and compared. */
  compared: number;
  /** Images not compared, by why: BMP (not decodable here), damaged inside, one plain colour. */
  notCompared: Record<NoHash, number>;
}

export interface SimilarOptions {
  signal: AbortSignal;
  /** Hashes done so far of all images; at most one call per `progressIntervalMs`, plus the last. */
  onProgress?: (done: number, total: number) => void;
  progressIntervalMs?: number;
  /** Images decoded at once (each on one libuv thread). */
  concurrency?: number;
  maxPairs?: number;
}

/** Pairs listed in a result; the rest are counted. */
export const SIMILAR_PAIRS_LIMIT = 200;
const HASH_CACHE_LIMIT = 200_000;
const hashCache = new Map<string, Hash64 | NoHash>();

/** Hashes by file content, so a re-scan of the same folder does not decode again. */
async function cachedHash(image: ImageRecord): Promise<Hash64 | NoHash> {
  const key = `${image.absolute}\0${image.size}\0${image.fingerprint}`;
  const known = hashCache.get(key);
  if (known !== undefined) return known;
  const hash = await perceptualHash(image.absolute, image.format);
  if (hashCache.size >= HASH_CACHE_LIMIT) hashCache.delete(hashCache.keys().next().value as string);
  hashCache.set(key, hash);
  return hash;
}

/** Forgets the session's hashes (tests). */
export function clearSimilarCache(): void {
  hashCache.clear();
}

// NEAR_DUPLICATE_BITS + 1 blocks covering the 64 bits: [first bit, length].
const BLOCKS: Array<[number, number]> = (() => {
  const count = NEAR_DUPLICATE_BITS + 1;
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const length = Math.floor(64 / count) + (i < 64 % count ? 1 : 0);
    out.push([start, length]);
    start += length;
  }
  return out;
})();

/** Bits [start, start + length) of a 64-bit hash (length ≤ 31). */
function block(hash: Hash64, start: number, length: number): number {
  const mask = (1 << length) - 1;
  if (start >= 32) return (hash.hi >>> (start - 32)) & mask;
  if (start + length <= 32) return (hash.lo >>> start) & mask;
  return ((hash.lo >>> start) | (hash.hi << (32 - start))) & mask;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Finds near-duplicate pairs across classes among a scan's usable images (`classNames[classIndex]`).
 * Reads the files, never writes them. Throws a typed "cancelled" error when `signal` fires, and
 * "not_available" when the image library is missing from this build.
 */
export async function findSimilarAcrossClasses(
  images: readonly ImageRecord[],
  classNames: readonly string[],
  options: SimilarOptions,
): Promise<SimilarFindings> {
  const { signal } = options;
  const hashes: Array<Hash64 | NoHash> = new Array<Hash64 | NoHash>(images.length);
  let done = 0;
  const progress = createThrottle(options.progressIntervalMs ?? 100, () => options.onProgress?.(done, images.length));
  progress.force();
  await forEachBounded(images.length, options.concurrency ?? 4, async (i) => {
    throwIfCancelled(signal);
    hashes[i] = await cachedHash(images[i]!);
    done += 1;
    progress.tick();
  });
  progress.force();

  const notCompared: Record<NoHash, number> = { unsupported: 0, undecodable: 0, plain: 0 };
  const hashed: number[] = [];
  hashes.forEach((hash, i) => {
    if (typeof hash === 'string') notCompared[hash] += 1;
    else hashed.push(i);
  });

  // Buckets of image indices by (block, value); pairs found in several buckets are counted once.
  const found = new Map<string, SimilarPair>();
  let sinceYield = 0;
  for (const [start, length] of BLOCKS) {
    const buckets = new Map<number, number[]>();
    for (const i of hashed) {
      const value = block(hashes[i] as Hash64, start, length);
      const bucket = buckets.get(value);
      if (bucket) bucket.push(i);
      else buckets.set(value, [i]);
    }
    for (const bucket of buckets.values()) {
      for (let x = 1; x < bucket.length; x++) {
        const i = bucket[x]!;
        for (let y = 0; y < x; y++) {
          const j = bucket[y]!;
          if (++sinceYield >= 50_000) {
            sinceYield = 0;
            throwIfCancelled(signal);
            await yieldToEventLoop();
          }
          const [a, b] = images[i]!.path < images[j]!.path ? [images[i]!, images[j]!] : [images[j]!, images[i]!];
          if (a.classIndex === b.classIndex || sameFile(a, b)) continue;
          const distance = hammingDistance(hashes[i] as Hash64, hashes[j] as Hash64);
          if (distance > NEAR_DUPLICATE_BITS) continue;
          const key = `${a.path}\0${b.path}`;
          if (!found.has(key)) {
            const classA = classNames[a.classIndex]!;
            const classB = classNames[b.classIndex]!;
            found.set(key, { a: a.path, b: b.path, classA, classB, distance });
          }
        }
      }
    }
  }
  const pairs = [...found.values()].sort(
    (p, q) => p.distance - q.distance || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1),
  );
  return {
    pairs: pairs.slice(0, options.maxPairs ?? SIMILAR_PAIRS_LIMIT),
    pairsTotal: pairs.length,
    compared: hashed.length,
    notCompared,
  };
}

/** Byte-identical copies (same size and fingerprint) are the scan's duplicate warning, not repeated here. */
function sameFile(a: ImageRecord, b: ImageRecord): boolean {
  return a.size === b.size && a.fingerprint === b.fingerprint;
}
