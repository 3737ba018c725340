import type { ModelId } from '../../../contract';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no look-alikes (l, o, 0, 1)

/** The model's short readable name: deit_small_patch16_224 → deit-small, deit_base_patch16_384 → deit-base-384. */
export function shortModelName(modelId: ModelId): string {
  const match = /^(deit3?)_(tiny|small|base)(_distilled)?_patch16_(\d+)$/.exec(modelId);
  if (!match) return modelId.replace(/[^a-z0-9]+/gi, '-');
  const [, family, size, distilled, img] = match;
  return [family, size, distilled ? 'distilled' : null, img === '224' ? null : img].filter(Boolean).join('-');
}

/**
 * A run id that sorts by creation time and reads well in a file manager:
 * `20261127-2340-deit-small-x7k2` (UTC date and minute, model, 4 random characters).
 */
export function makeRunId(createdAt: Date, modelId: ModelId, random: () => number = Math.random): string {
  const iso = createdAt.toISOString(); // 2026-11-27T23:40:12.345Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += ALPHABET[Math.floor(random() * ALPHABET.length) % ALPHABET.length];
  return `${stamp}-${shortModelName(modelId)}-${suffix}`;
}

/** The run ids this app writes (also the contract's rule for ids it accepts). */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/** True when a folder name can be a run id (not `.`, `..` or a hidden temp folder). */
export function isRunId(name: string): boolean {
  return RUN_ID_PATTERN.test(name) && !name.startsWith('.');
}

/**
 * The form under which two run ids name one folder where the file system ignores case and trailing
 * dots (macOS, Windows): `20261203-1200-ABC.` and `20261203-1200-abc` are one run there.
 */
export function runIdKey(id: string): string {
  return id.toLowerCase().replace(/\.+$/, '');
}
