import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError, parseDownloadPath, type Result } from '../contract';
import { openRunFile } from '../core/runs/downloads/run-downloads';
import { runZip } from '../core/runs/downloads/run-zip';
import { SECURITY_HEADERS } from './security';

const TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.zip': 'application/zip',
  // ONNX and PyTorch files have no registered type.
  '.onnx': 'application/octet-stream',
  '.pt': 'application/octet-stream',
};

/** The Content-Type of a downloaded file, by extension. */
export function downloadContentType(name: string): string {
  return TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * `attachment` with the file name twice: plain ASCII for old clients, and RFC 5987 UTF-8 for the rest.
 * Quotes, backslashes and control characters never reach the header.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The saved file's name: prefixed by the run id, so downloads of several runs do not collide. */
export function downloadName(runId: string, file: string): string {
  return `${runId}-${file.split('/').pop() ?? file}`;
}

function statusOf(error: AppError): number {
  if (error.kind === 'not_found') return 404;
  if (error.kind === 'unauthorized') return 403;
  return 500;
}

function sendError(res: http.ServerResponse, error: AppError): void {
  const body: Result<never> = { ok: false, error: error.toShape() };
  res.writeHead(statusOf(error), {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/**
 * Serves `GET /api/download/runs/…` (the token is checked by the caller): one file of a run folder,
 * or the folder as a zip, streamed from disk with its type and file name. Returns false when the
 * address is not a download address.
 */
export async function serveDownload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  runsDir: string,
  pathname: string,
): Promise<boolean> {
  const target = parseDownloadPath(pathname);
  if (!target) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, new AppError('validation', 'Downloads are GET requests.'));
    return true;
  }
  const headers = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' };
  try {
    if (target.kind === 'file') {
      const file = await openRunFile(runsDir, target.runId, target.file);
      res.writeHead(200, {
        ...headers,
        'Content-Type': downloadContentType(file.path),
        'Content-Length': String(file.size),
        'Content-Disposition': contentDisposition(downloadName(target.runId, file.path)),
      });
      if (req.method === 'HEAD' || file.size === 0) {
        await file.handle.close();
        res.end();
        return true;
      }
      await pipeline(file.handle.createReadStream({ start: 0, end: file.size - 1 }), res);
      return true;
    }
    const zip = await runZip(runsDir, target.runId);
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'application/zip',
      'Content-Length': String(zip.size),
      'Content-Disposition': contentDisposition(`${target.runId}.zip`),
    });
    if (req.method === 'HEAD') {
      await zip.close();
      res.end();
      return true;
    }
    try {
      await pipeline(zip.stream, res);
    } finally {
      await zip.close();
    }
    return true;
  } catch (error) {
    if (res.headersSent) {
      res.destroy(); // mid-stream: the client sees a cut download, never a corrupt "complete" one
      return true;
    }
    sendError(
      res,
      error instanceof AppError ? error : new AppError('internal', 'The download failed.', { detail: String(error) }),
    );
    return true;
  }
}
