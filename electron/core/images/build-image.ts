import type Dockerode from 'dockerode';
import { readJsonLines } from '../docker/json-lines';
import { parseBuildEvent, type BuildEvent } from './parse-build-event';
import { streamError } from './pull-image';

/** What a trainer image build needs. */
export interface BuildRequest {
  contextDir: string;
  /** Context files, relative (listContextFiles); dockerode tars them and honours .dockerignore. */
  files: string[];
  tag: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  /** 'host' lets RUN steps reach PyPI on engines without a default bridge network. */
  networkMode: string;
  signal: AbortSignal;
  onEvent: (event: BuildEvent) => void;
}

/**
 * Builds an image with the classic builder and reports each step. A failing step arrives as an error
 * event inside the 200 stream (dockerode's followProgress would report success), so every event is
 * checked; the last output lines go into the error for the detail view. The tag is inspected as proof.
 */
export async function buildImage(docker: Dockerode, request: BuildRequest): Promise<void> {
  const stream = (await docker.buildImage({ context: request.contextDir, src: request.files }, {
    t: request.tag,
    buildargs: request.buildArgs,
    labels: request.labels,
    networkmode: request.networkMode,
    rm: true,
    forcerm: true,
    abortSignal: request.signal,
  } as Dockerode.ImageBuildOptions)) as NodeJS.ReadableStream;
  let failure: string | null = null;
  const tail: string[] = [];
  await readJsonLines(stream as AsyncIterable<Uint8Array>, (line) => {
    const events: BuildEvent[] = line.ok ? parseBuildEvent(line.value) : [{ kind: 'log', text: line.text }];
    for (const event of events) {
      if (event.kind === 'error') failure ??= event.message;
      if (event.kind === 'log') tail.push(event.text);
      if (tail.length > 20) tail.shift();
      request.onEvent(event);
    }
  });
  if (failure) throw streamError(`${failure}\n${tail.join('\n')}`.trim());
  await docker.getImage(request.tag).inspect();
}
