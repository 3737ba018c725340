import type Dockerode from 'dockerode';
import { readJsonLines } from '../docker/json-lines';
import { parsePullEvent, type PullEvent } from './parse-pull-event';

/** An error the daemon reported inside a 200 stream, carried like an HTTP error body so it classifies the same. */
export function streamError(message: string): Error {
  return Object.assign(new Error(message), { json: { message } });
}

/**
 * Pulls an image and reports every normalised event. `docker.pull()` resolves when the stream opens,
 * not when the image exists, and errors can arrive inside the 200 stream: both are handled here, and
 * the image is inspected at the end as proof.
 */
export async function pullImage(
  docker: Dockerode,
  image: string,
  options: { signal: AbortSignal; onEvent: (event: PullEvent) => void },
): Promise<void> {
  const stream = (await docker.pull(image, { abortSignal: options.signal })) as NodeJS.ReadableStream;
  let failure: string | null = null;
  await readJsonLines(stream as AsyncIterable<Uint8Array>, (line) => {
    if (!line.ok) return; // a malformed line is noise, not a reason to stop
    const event = parsePullEvent(line.value);
    if (event.kind === 'error') failure ??= event.message;
    else options.onEvent(event);
  });
  if (failure) throw streamError(failure);
  await docker.getImage(image).inspect();
}
