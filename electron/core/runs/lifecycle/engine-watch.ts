import type Dockerode from 'dockerode';

/** How often a waiting run asks whether the engine still answers. */
export const ENGINE_CHECK_MS = 2000;

/**
 * `container.wait()` that also ends when the engine dies. When dockerd is killed mid-response the
 * wait request's socket closes without an `end` and docker-modem never settles it, so the run would
 * stay "running" for good; a ping every `intervalMs` notices instead and rejects with a connection
 * error (ECONNREFUSED), which the caller classifies as Docker gone. A hung ping never rejects.
 *
 *   const { StatusCode } = await waitWhileEngineAnswers(container, docker, abort);
 */
export async function waitWhileEngineAnswers(
  container: Dockerode.Container,
  docker: () => Promise<Dockerode>,
  abort: AbortSignal,
  intervalMs = ENGINE_CHECK_MS,
): Promise<{ StatusCode: number }> {
  const wait = container.wait({ abortSignal: abort }) as Promise<{ StatusCode: number }>;
  wait.catch(() => undefined); // settles after the watchdog won: nobody is listening any more
  let timer: NodeJS.Timeout | undefined;
  const gone = new Promise<never>((_, reject) => {
    const check = async (): Promise<void> => {
      if (abort.aborted) return;
      const answers = await docker()
        .then((client) => client.ping())
        .then(
          () => true,
          () => false,
        );
      if (abort.aborted) return;
      if (!answers) {
        reject(Object.assign(new Error('connect ECONNREFUSED: Docker stopped answering'), { code: 'ECONNREFUSED' }));
        return;
      }
      timer = setTimeout(() => void check(), intervalMs);
      timer.unref();
    };
    timer = setTimeout(() => void check(), intervalMs);
    timer.unref();
  });
  try {
    return await Promise.race([wait, gone]);
  } finally {
    clearTimeout(timer);
  }
}
