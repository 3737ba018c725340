import { streamEventError } from '../docker/json-lines';

/** Where one layer of a pull stands. */
export type LayerStatus =
  'queued' | 'downloading' | 'verifying' | 'downloaded' | 'extracting' | 'done' | 'exists' | 'retrying';

/** One event of a pull stream, normalised. */
export type PullEvent =
  | {
      kind: 'layer';
      id: string;
      status: LayerStatus;
      /** Bytes so far, or seconds when `seconds` (the containerd store reports extraction in seconds). */
      current: number | null;
      /** Missing or -1 in some engines' events: null. */
      total: number | null;
      seconds: boolean;
    }
  | { kind: 'error'; message: string }
  | { kind: 'info'; text: string };

const STATUSES: Array<[RegExp, LayerStatus]> = [
  [/^Pulling fs layer$/i, 'queued'],
  [/^Waiting$/i, 'queued'],
  [/^Downloading$/i, 'downloading'],
  [/^Verifying Checksum$/i, 'verifying'],
  [/^Download complete$/i, 'downloaded'],
  [/^Extracting$/i, 'extracting'],
  [/^Pull complete$/i, 'done'],
  [/^Already exists$/i, 'exists'],
  [/^Retrying in /i, 'retrying'],
];

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * Normalises one JSON object of `POST /images/create`: per-layer progress
 * (`{id, status, progressDetail:{current,total}}`), an error inside the 200 stream, or anything else
 * ("Pulling from …", "Digest: …", "Status: …") as info. Events whose id is not a layer ("Pulling from"
 * carries the tag as id) are info.
 */
export function parsePullEvent(value: unknown): PullEvent {
  const error = streamEventError(value);
  if (error !== null) return { kind: 'error', message: error };
  if (!value || typeof value !== 'object') return { kind: 'info', text: String(value) };
  const { id, status, progressDetail } = value as { id?: unknown; status?: unknown; progressDetail?: unknown };
  const text = typeof status === 'string' ? status : '';
  const layerStatus = STATUSES.find(([pattern]) => pattern.test(text))?.[1];
  if (typeof id !== 'string' || !layerStatus) return { kind: 'info', text: id ? `${text} ${String(id)}` : text };
  const detail = (progressDetail && typeof progressDetail === 'object' ? progressDetail : {}) as {
    current?: unknown;
    total?: unknown;
    units?: unknown;
  };
  const total = positive(detail.total);
  return {
    kind: 'layer',
    id,
    status: layerStatus,
    current: positive(detail.current),
    total: total === 0 ? null : total,
    seconds: detail.units === 's',
  };
}
