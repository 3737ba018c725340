/**
 * A perceptual hash of one image: 64 bits that stay (nearly) the same when a picture is resized,
 * re-encoded (another JPEG quality, PNG ↔ JPEG) or slightly re-coloured, and differ for different
 * pictures. It is the DCT hash (pHash): the image is decoded, turned upright (Exif orientation),
 * flattened onto white, made greyscale and shrunk to 32×32; bit k says whether the k-th of the 8×8
 * lowest-frequency DCT coefficients is above their median.
 *
 *   const hash = await perceptualHash('/data/cats/1.jpg'); // { hi, lo } or null
 *   hammingDistance(a, b) <= NEAR_DUPLICATE_BITS            // nearly the same picture
 *
 * Decoding uses sharp (libvips, prebuilt for each OS): it decodes JPEG and WebP at a reduced size
 * (shrink-on-load), so a 12-megapixel photo costs milliseconds, and it works in libuv's thread pool
 * instead of blocking the event loop. It reads JPEG, PNG, GIF, WebP and TIFF; BMP is not among its
 * formats, so BMP images are not compared. sharp is loaded on first use: a build without it reports
 * that the check is unavailable instead of failing to start.
 */
import { AppError } from '../../../contract';

/** Side of the greyscale thumbnail the DCT is computed on. */
const SIDE = 32;
/** The low-frequency block whose coefficients become the bits. */
const LOW = 8;
/** Largest image decoded, as the trainer's MAX_PIXELS (a decompression bomb is never decoded). */
const MAX_PIXELS = 100_000_000;
/** Below this standard deviation of grey levels (0–255) a picture is plain (one colour): its hash says nothing. */
const PLAIN_STDDEV = 2;
/** Hashes at most this many bits apart are nearly the same picture (resized or re-encoded copies differ by 0–4). */
export const NEAR_DUPLICATE_BITS = 6;

/** 64 bits as two unsigned 32-bit halves (plain numbers compare and XOR faster than BigInt). */
export interface Hash64 {
  hi: number;
  lo: number;
}

/** Why an image has no hash. */
export type NoHash = 'unsupported' | 'undecodable' | 'plain';

type Sharp = (typeof import('sharp'))['default'];
type SharpSettings = Pick<typeof import('sharp'), 'concurrency' | 'cache'>;
let loading: Promise<Sharp> | null = null;

/** sharp, loaded once; one vips thread per image (we run a few images at once) and no pixel cache. */
export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(
    (module) => {
      // The settings are functions of the default export (its type declarations list them as named exports).
      const sharp = module.default;
      const settings = sharp as unknown as SharpSettings;
      settings.concurrency(1);
      settings.cache(false);
      return sharp;
    },
    (error: unknown) => {
      loading = null;
      throw new AppError('not_available', 'The near-duplicate check is not available in this build of DeiT Studio.', {
        fix: 'Nothing to do for training: the other checks and training work as usual. Reinstalling DeiT Studio may bring it back.',
        detail: `The image library (sharp) could not be loaded: ${(error as Error).message}`,
      });
    },
  );
  return loading;
}

// cos((2x + 1) u π / 2N) for the LOW lowest frequencies u and every x of the thumbnail.
const COS = Array.from({ length: LOW }, (_, u) =>
  Float64Array.from({ length: SIDE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIDE))),
);

/**
 * The hash of a SIDE × SIDE greyscale thumbnail (row-major, one byte a pixel), or 'plain' for a picture
 * of one colour. Pure; exported for tests.
 */
export function hashThumbnail(pixels: Uint8Array): Hash64 | 'plain' {
  let sum = 0;
  let squares = 0;
  for (const p of pixels) {
    sum += p;
    squares += p * p;
  }
  const mean = sum / pixels.length;
  if (Math.sqrt(Math.max(0, squares / pixels.length - mean * mean)) < PLAIN_STDDEV) return 'plain';
  // Separable DCT-II, only the LOW × LOW block: first along rows, then along columns.
  const rows = new Float64Array(SIDE * LOW); // rows[y * LOW + u]
  for (let y = 0; y < SIDE; y++) {
    for (let u = 0; u < LOW; u++) {
      let acc = 0;
      for (let x = 0; x < SIDE; x++) acc += pixels[y * SIDE + x]! * COS[u]![x]!;
      rows[y * LOW + u] = acc;
    }
  }
  const coefficients = new Float64Array(LOW * LOW); // [v * LOW + u]
  for (let v = 0; v < LOW; v++) {
    for (let u = 0; u < LOW; u++) {
      let acc = 0;
      for (let y = 0; y < SIDE; y++) acc += rows[y * LOW + u]! * COS[v]![y]!;
      coefficients[v * LOW + u] = acc;
    }
  }
  // The median without the DC term (the average brightness, which would dominate it).
  const median = [...coefficients.subarray(1)].sort((a, b) => a - b)[(LOW * LOW - 1) >> 1]!;
  let hi = 0;
  let lo = 0;
  for (let k = 0; k < 64; k++) {
    if (coefficients[k]! <= median) continue;
    if (k < 32) lo |= 1 << k;
    else hi |= 1 << (k - 32);
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** Bits set in a 32-bit number. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** How many of the 64 bits differ. */
export function hammingDistance(a: Hash64, b: Hash64): number {
  return popcount((a.hi ^ b.hi) >>> 0) + popcount((a.lo ^ b.lo) >>> 0);
}

/**
 * The perceptual hash of an image file, or why it has none: `unsupported` (BMP), `undecodable` (damage
 * the header checks could not see; training skips such files too), `plain` (one colour). Reads the
 * file, never writes it. Throws only when sharp itself is missing.
 */
export async function perceptualHash(absolute: string, format: string): Promise<Hash64 | NoHash> {
  if (format === 'bmp') return 'unsupported';
  const sharp = await loadSharp();
  let pixels: Buffer;
  try {
    pixels = await sharp(absolute, { limitInputPixels: MAX_PIXELS, failOn: 'error', pages: 1 })
      .rotate() // upright by the Exif orientation, as a copy saved by an editor is
      .flatten({ background: '#ffffff' })
      .greyscale()
      .resize(SIDE, SIDE, { fit: 'fill' })
      .raw()
      .toColourspace('b-w')
      .toBuffer();
  } catch {
    return 'undecodable';
  }
  if (pixels.length !== SIDE * SIDE) return 'undecodable';
  return hashThumbnail(pixels);
}
