import { z } from 'zod';
import { call } from './define';

/**
 * Downloads of a run's files in serve mode (a browser cannot open the server's folders). The
 * addresses are built and parsed here only, so the server and the renderer cannot disagree:
 *
 *   GET /api/download/runs/<run id>/file/<path inside the run folder>   one file, e.g. export/model.onnx
 *   GET /api/download/runs/<run id>/zip                                 the run folder as a zip
 *
 * Like every /api/ address they need the token (`Authorization: Bearer`); a browser's download link
 * instead carries a one-time ticket for its one address (`?ticket=…`, electron/serve/tickets.ts).
 */
export const DOWNLOAD_PREFIX = '/api/download/runs/';

const RUN_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** The address of one file of a run; `file` is relative to the run folder, with `/` separators. */
export function runFileDownloadUrl(runId: string, file: string): string {
  const parts = file.split('/').map((part) => encodeURIComponent(part));
  return `${DOWNLOAD_PREFIX}${encodeURIComponent(runId)}/file/${parts.join('/')}`;
}

/** The address of the whole run folder as a zip. */
export function runZipDownloadUrl(runId: string): string {
  return `${DOWNLOAD_PREFIX}${encodeURIComponent(runId)}/zip`;
}

export type DownloadTarget = { runId: string; kind: 'zip' } | { runId: string; kind: 'file'; file: string };

/**
 * Reads a download address back; null when it is not one. The file path comes back decoded, with
 * `/` separators, and is not yet checked against the run folder (the core does that on disk).
 */
export function parseDownloadPath(pathname: string): DownloadTarget | null {
  if (!pathname.startsWith(DOWNLOAD_PREFIX)) return null;
  const rest = pathname.slice(DOWNLOAD_PREFIX.length).split('/');
  let decoded: string[];
  try {
    decoded = rest.map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
  const [runId, kind, ...file] = decoded;
  if (!runId || !RUN_ID.test(runId)) return null;
  if (kind === 'zip' && file.length === 0) return { runId, kind: 'zip' };
  if (kind === 'file' && file.length > 0) return { runId, kind: 'file', file: file.join('/') };
  return null;
}

/** What a file of the run folder is, for grouping the download list. */
export const RunFileKind = z.enum(['model', 'export', 'prediction', 'report', 'checkpoint', 'record']);
export type RunFileKind = z.infer<typeof RunFileKind>;

export const RunFile = z.object({
  /** Relative to the run folder, `/` separators (what runFileDownloadUrl takes). */
  path: z.string(),
  kind: RunFileKind,
  sizeBytes: z.number().int(),
  /** Whether the zip of the run folder carries it (resume checkpoints and temp files stay out). */
  inZip: z.boolean(),
});
export type RunFile = z.infer<typeof RunFile>;

export const RunFiles = z.object({
  files: z.array(RunFile),
  /** Sum of the sizes of the files in the zip (it is stored, not compressed: about the zip's size). */
  zipBytes: z.number().int(),
});
export type RunFiles = z.infer<typeof RunFiles>;

export const downloadCalls = {
  'runs.files': call(
    z.object({ id: z.string().regex(RUN_ID) }),
    RunFiles,
    'The regular files of a run folder that can be downloaded (serve mode), and what its zip holds.',
  ),
};
