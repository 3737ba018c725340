import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { AppError } from '../../contract';

/**
 * Reads a `docker save` archive while it streams to the engine, and checks it against itself: every
 * content-addressed file (`blobs/sha256/<hex>`, the legacy `<hex>.json` config) must hash to its
 * name, and every legacy layer (`<id>/layer.tar`) to the `diff_id` its config lists. What comes out
 * is the list of images with the ids the engine may give them once loaded.
 *
 *   const reader = createArchiveReader('none');
 *   fileStream.pipe(reader.input);
 *   const images = verifySaveArchive(await reader.contents);
 *
 * Both layouts are handled: Docker before 25 (`manifest.json`, `<hex>.json`, `<id>/layer.tar`) and
 * the OCI layout of Docker 25+ and the containerd image store (`index.json`, `blobs/sha256/…`, and
 * `manifest.json` too). Compressed archives: gzip is read through; others are refused (readArchiveKind).
 */

export interface ArchiveEntry {
  sha256: string;
  size: number;
}

export interface SaveArchiveContents {
  /** Every regular file of the archive: its hash and size. */
  entries: Map<string, ArchiveEntry>;
  /** Contents of the small files (manifests, configs), for parsing. */
  small: Map<string, Buffer>;
}

/** One image the archive holds, and what the engine's id for it may be once loaded. */
export interface ArchiveImage {
  repoTags: string[];
  /** `sha256:<hex>` of the image config: the image id on the classic image store. */
  configDigest: string;
  /** Ids the engine may report: the config digest, or (containerd store) a manifest or index digest. */
  ids: string[];
  os: string | null;
  architecture: string | null;
}

const SMALL_LIMIT = 1024 * 1024;
const SMALL_TOTAL_LIMIT = 64 * 1024 * 1024;

function archiveError(message: string, detail: string, fix?: string): AppError {
  return new AppError('validation', message, {
    fix: fix ?? 'Make the archive again on a connected machine (docker save IMAGE -o FILE) and copy it over again.',
    detail,
  });
}

/** How the archive is compressed, from its first bytes; refuses formats that cannot be checked here. */
export function readArchiveKind(head: Buffer): 'none' | 'gzip' {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  const xz = head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
  const zstd = head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
  const bzip2 = head.subarray(0, 3).toString('latin1') === 'BZh';
  if (xz || zstd || bzip2) {
    const tool = xz ? 'xz -d' : zstd ? 'zstd -d' : 'bunzip2';
    throw archiveError(
      'This archive is compressed in a way DeiT Studio cannot check while loading.',
      'archive_compression',
      `Decompress it first (${tool} FILE) and load the .tar; a plain or gzip-compressed (.tar.gz) docker save archive works.`,
    );
  }
  return 'none';
}

/** A writable that reads the tar as it passes: hashes every file, keeps the small ones. */
export function createArchiveReader(kind: 'none' | 'gzip'): {
  input: Writable;
  contents: Promise<SaveArchiveContents>;
  /** Stops reading (the file was cut short): `contents` rejects unless it has already resolved. */
  abort(): void;
} {
  const extract = tar.extract();
  const entries = new Map<string, ArchiveEntry>();
  const small = new Map<string, Buffer>();
  let smallTotal = 0;
  extract.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    const regular = header.type === 'file' || header.type === 'contiguous-file';
    const hash = createHash('sha256');
    const keep = regular && (header.size ?? 0) <= SMALL_LIMIT && smallTotal < SMALL_TOTAL_LIMIT;
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!regular) return;
      hash.update(chunk);
      if (keep) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (regular) {
        entries.set(name, { sha256: hash.digest('hex'), size });
        if (keep) {
          small.set(name, Buffer.concat(chunks));
          smallTotal += size;
        }
      }
      next();
    });
    stream.on('error', next);
  });
  const contents = new Promise<SaveArchiveContents>((resolve, reject) => {
    extract.on('finish', () => resolve({ entries, small }));
    extract.on('error', (error: Error) =>
      reject(archiveError('This file is not a readable image archive (tar).', `archive_unreadable: ${error.message}`)),
    );
  });
  const abort = () => extract.destroy(new Error('the archive was not read to its end'));
  if (kind === 'none') return { input: extract, contents, abort };
  const gunzip = zlib.createGunzip();
  gunzip.on('error', (error) => extract.destroy(error));
  gunzip.pipe(extract);
  return { input: gunzip, contents, abort };
}

function parseJson(contents: SaveArchiveContents, name: string): unknown {
  const data = contents.small.get(name);
  if (!data) return null;
  try {
    return JSON.parse(data.toString('utf8')) as unknown;
  } catch {
    throw archiveError(`The archive's ${name} is not valid JSON: the archive is damaged.`, 'archive_damaged');
  }
}

const BLOB = /^blobs\/sha256\/([0-9a-f]{64})$/;
const LEGACY_CONFIG = /^([0-9a-f]{64})\.json$/;

function damaged(file: string): AppError {
  return archiveError(
    `The archive is damaged: ${file} does not match its checksum.`,
    'archive_damaged',
    'Copy the archive again from the machine where it was made and compare `sha256sum FILE` on both sides; if they differ, the copy is broken.',
  );
}

interface ManifestItem {
  Config?: unknown;
  RepoTags?: unknown;
  Layers?: unknown;
}

/** Checks the archive against itself and lists its images; throws a typed error naming what is wrong. */
export function verifySaveArchive(contents: SaveArchiveContents): ArchiveImage[] {
  const manifest = parseJson(contents, 'manifest.json');
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw archiveError(
      'This file is not an image archive made by docker save: it has no manifest.json.',
      'archive_not_docker_save',
      'On a connected machine run: docker save IMAGE -o FILE.tar (not docker export, which saves a container).',
    );
  }
  for (const [name, entry] of contents.entries) {
    const blob = BLOB.exec(name);
    if (blob && blob[1] !== entry.sha256) throw damaged(name);
  }
  // The containerd image store names an image by its manifest or index digest.
  const index = parseJson(contents, 'index.json') as { manifests?: Array<{ digest?: unknown }> } | null;
  const indexIds = (index?.manifests ?? []).map((m) => m.digest).filter((d): d is string => typeof d === 'string');

  return (manifest as ManifestItem[]).map((item) => {
    const configName = typeof item.Config === 'string' ? item.Config : '';
    const config = contents.entries.get(configName);
    if (!config)
      throw archiveError(
        `The archive is incomplete: ${configName || 'an image config'} is missing.`,
        'archive_incomplete',
      );
    const legacy = LEGACY_CONFIG.exec(configName);
    if (legacy && legacy[1] !== config.sha256) throw damaged(configName);
    const parsed = parseJson(contents, configName) as {
      os?: unknown;
      architecture?: unknown;
      rootfs?: { diff_ids?: unknown };
    } | null;
    const diffIds = Array.isArray(parsed?.rootfs?.diff_ids) ? (parsed.rootfs.diff_ids as unknown[]) : [];
    const layers = Array.isArray(item.Layers) ? (item.Layers as unknown[]) : [];
    layers.forEach((layer, i) => {
      const entry = typeof layer === 'string' ? contents.entries.get(layer) : undefined;
      if (!entry)
        throw archiveError(`The archive is incomplete: layer ${String(layer)} is missing.`, 'archive_incomplete');
      // Blobs were checked by name; a legacy layer.tar is checked against the config's diff_id.
      if (!BLOB.test(layer as string) && diffIds[i] !== `sha256:${entry.sha256}`) throw damaged(layer as string);
    });
    const configDigest = `sha256:${config.sha256}`;
    return {
      repoTags: Array.isArray(item.RepoTags) ? item.RepoTags.filter((t): t is string => typeof t === 'string') : [],
      configDigest,
      ids: [configDigest, ...indexIds],
      os: typeof parsed?.os === 'string' ? parsed.os : null,
      architecture: typeof parsed?.architecture === 'string' ? parsed.architecture : null,
    };
  });
}
