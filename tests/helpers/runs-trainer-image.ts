import type Dockerode from 'dockerode';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TWIN_IMAGE } from './docker-env';

/** The trainer's build context in this checkout. */
export const TRAINER_DIR = path.resolve(__dirname, '../../docker');

/** Files of the build context (no caches), relative and sorted. */
function contextFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (entry.name === '__pycache__' || entry.name.endsWith('.pyc')) continue;
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...contextFiles(dir, rel));
    else if (entry.isFile()) files.push(rel);
  }
  return files.sort();
}

/** A hash of docker/ (paths and contents): the image is rebuilt only when the trainer changes. */
export function trainerHash(): string {
  const hash = createHash('sha256');
  for (const file of contextFiles(TRAINER_DIR)) {
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(TRAINER_DIR, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * The trainer image built from this checkout's docker/ on the CPU twin (the real Dockerfile, the
 * real build path), tagged `deit-runs-test/trainer:<hash>` and built once per change. Fails loudly
 * with the build's own error.
 */
export async function testTrainerImage(docker: Dockerode): Promise<string> {
  if (!fs.existsSync(path.join(TRAINER_DIR, 'Dockerfile'))) {
    throw new Error(`${TRAINER_DIR}/Dockerfile is missing: merge the trainer branch into this one.`);
  }
  const hash = trainerHash();
  const tag = `deit-runs-test/trainer:${hash}`;
  const exists = await docker
    .getImage(tag)
    .inspect()
    .then(() => true)
    .catch(() => false);
  if (exists) return tag;
  const stream = await docker.buildImage(
    { context: TRAINER_DIR, src: contextFiles(TRAINER_DIR) },
    {
      t: tag,
      buildargs: { BASE_IMAGE: TWIN_IMAGE, TRAINER_HASH: hash },
      networkmode: 'host', // pip needs the package index; the test daemon has no bridge
      rm: true,
      forcerm: true,
    },
  );
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: { stream?: string; error?: string; errorDetail?: { message?: string } }) => {
        if (event.stream) log.push(event.stream);
        // An error inside a 200 build stream never reaches followProgress's callback (dockerode #639).
        if (event.errorDetail || event.error) {
          reject(
            new Error(
              `Building ${tag} failed: ${event.errorDetail?.message ?? event.error}\n${log.slice(-20).join('')}`,
            ),
          );
        }
      },
    );
  });
  await docker.getImage(tag).inspect(); // proof it exists
  return tag;
}
