/** One line of a Docker progress stream: parsed JSON, or the raw text when it was not JSON. */
export type JsonLine = { ok: true; value: unknown } | { ok: false; text: string };

/**
 * Splits the chunks of a Docker JSON-lines stream (pull, build, import) into parsed objects. Chunks
 * may end mid-line and lines may be CRLF-terminated; a malformed line is returned as text instead of
 * throwing inside a stream handler (dockerode's followProgress throws there).
 */
export class JsonLineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder();

  /** Feeds one chunk; returns the complete lines it finished. */
  push(chunk: Uint8Array | string): JsonLine[] {
    this.rest += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines = this.rest.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.flatMap(parseLine);
  }

  /** The last line when the stream ends without a newline. */
  end(): JsonLine[] {
    const last = this.rest + this.decoder.decode();
    this.rest = '';
    return parseLine(last);
  }
}

function parseLine(raw: string): JsonLine[] {
  const text = raw.trim();
  if (!text) return [];
  try {
    return [{ ok: true, value: JSON.parse(text) as unknown }];
  } catch {
    return [{ ok: false, text }];
  }
}

/** Reads a whole Docker JSON-lines stream, calling `onLine` for each line, until it ends or errors. */
export async function readJsonLines(stream: AsyncIterable<Uint8Array | string>, onLine: (line: JsonLine) => void): Promise<void> {
  const splitter = new JsonLineSplitter();
  for await (const chunk of stream) for (const line of splitter.push(chunk)) onLine(line);
  for (const line of splitter.end()) onLine(line);
}

/** The error message of a stream event (`{error}` or `{errorDetail:{message}}`), or null. */
export function streamEventError(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const { error, errorDetail } = value as { error?: unknown; errorDetail?: { message?: unknown } };
  if (errorDetail && typeof errorDetail.message === 'string') return errorDetail.message;
  if (typeof error === 'string') return error;
  return null;
}
