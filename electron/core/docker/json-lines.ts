import { LineSplitter } from '../line-splitter';

/** One line of a Docker progress stream: parsed JSON, or the raw text when it was not JSON. */
export type JsonLine = { ok: true; value: unknown } | { ok: false; text: string };

/** A line's JSON, or its text when it is not JSON; nothing for a blank line. */
function parseLine(raw: string): JsonLine[] {
  const text = raw.trim();
  if (!text) return [];
  try {
    return [{ ok: true, value: JSON.parse(text) as unknown }];
  } catch {
    return [{ ok: false, text }];
  }
}

/**
 * Reads a whole Docker JSON-lines stream (pull, build, load), calling `onLine` for each line, until it
 * ends or errors. Chunks may end mid-line or mid-character and lines may be CRLF-terminated; a
 * malformed line is passed on as text instead of throwing inside a stream handler (dockerode's
 * followProgress throws there); blank lines are skipped.
 *
 *   await readJsonLines(stream, (line) => (line.ok ? onEvent(line.value) : onText(line.text)));
 */
export async function readJsonLines(stream: AsyncIterable<Uint8Array | string>, onLine: (line: JsonLine) => void): Promise<void> {
  // No length bound: these lines come from the engine itself and none may be dropped.
  const splitter = new LineSplitter(Number.POSITIVE_INFINITY);
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (const line of splitter.push(bytes)) for (const parsed of parseLine(line)) onLine(parsed);
  }
  for (const line of splitter.flush()) for (const parsed of parseLine(line)) onLine(parsed);
}

/** The error message of a stream event (`{error}` or `{errorDetail:{message}}`), or null. */
export function streamEventError(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const { error, errorDetail } = value as { error?: unknown; errorDetail?: { message?: unknown } };
  if (errorDetail && typeof errorDetail.message === 'string') return errorDetail.message;
  if (typeof error === 'string') return error;
  return null;
}
