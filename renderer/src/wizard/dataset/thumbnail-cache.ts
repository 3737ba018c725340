import { api } from '../../api/api';

const MAX_IN_FLIGHT = 4;
const MAX_CACHED = 400;

// Thumbnails already fetched (data URLs, or null when the file has no preview), by root and file.
const cache = new Map<string, Promise<string | null>>();
const waiting: Array<() => void> = [];
let inFlight = 0;

async function slot(): Promise<void> {
  if (inFlight < MAX_IN_FLIGHT) {
    inFlight += 1;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else inFlight -= 1;
}

// Folders the core is scanning again so that it serves their previews, by root.
const registering = new Map<string, Promise<boolean>>();

/**
 * The core serves previews only from folders it scanned since it started. A scan restored from an
 * earlier session (the page kept it, the core restarted) is therefore scanned once more, quietly:
 * the wizard keeps its own copy, this only lets the core serve the thumbnails.
 */
export function registerFolder(root: string): Promise<boolean> {
  let entry = registering.get(root);
  if (!entry) {
    entry = api()
      .call('dataset.scan', { path: root })
      .then((result) => result.ok)
      .finally(() => registering.delete(root));
    registering.set(root, entry);
  }
  return entry;
}

async function fetchThumbnail(root: string, file: string): Promise<string | null> {
  await slot();
  try {
    let result = await api().call('dataset.thumbnail', { root, file });
    if (!result.ok && result.error.detail === 'not_scanned' && (await registerFolder(root))) {
      result = await api().call('dataset.thumbnail', { root, file });
    }
    return result.ok ? `data:${result.value.mime};base64,${result.value.dataBase64}` : null;
  } finally {
    release();
  }
}

/**
 * A dataset image's thumbnail as a data URL (null when it has none), fetched at most four at a time
 * so a page of thumbnails does not queue up behind itself, and kept for the session.
 */
export function loadThumbnail(root: string, file: string): Promise<string | null> {
  const key = `${root}\u0000${file}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = fetchThumbnail(root, file);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, entry);
  }
  return entry;
}

/** Forgets all thumbnails (tests). */
export function clearThumbnailCache(): void {
  cache.clear();
  registering.clear();
}
