import { streamEventError } from '../docker/json-lines';

/** One event of a classic-builder build stream, normalised. */
export type BuildEvent =
  | { kind: 'step'; step: number; steps: number; instruction: string }
  | { kind: 'log'; text: string }
  | { kind: 'image'; id: string }
  | { kind: 'error'; message: string };

/**
 * Normalises one JSON object of `POST /build`: "Step 2/4 : COPY …" lines, other output, the built
 * image id (`aux.ID`) and errors inside the 200 stream (a failing RUN step arrives there, not as an
 * HTTP error).
 */
export function parseBuildEvent(value: unknown): BuildEvent[] {
  const error = streamEventError(value);
  if (error !== null) return [{ kind: 'error', message: error }];
  if (!value || typeof value !== 'object') return [];
  const { stream, status, aux } = value as { stream?: unknown; status?: unknown; aux?: { ID?: unknown } };
  if (aux && typeof aux.ID === 'string') return [{ kind: 'image', id: aux.ID }];
  const text = typeof stream === 'string' ? stream : typeof status === 'string' ? status : '';
  const step = /^Step (\d+)\/(\d+) : (.*)$/s.exec(text.trim());
  if (step)
    return [{ kind: 'step', step: Number(step[1]), steps: Number(step[2]), instruction: (step[3] ?? '').trim() }];
  return text.trim() ? [{ kind: 'log', text: text.replace(/\n$/, '') }] : [];
}
