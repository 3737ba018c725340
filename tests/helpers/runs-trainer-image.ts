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

/**
 * A hash of docker/, the same as scripts/test-trainer.sh computes (sha256sum of every file but
 * bench/ and caches, sorted, hashed again), so both suites share one image per trainer version.
 */
export function trainerHash(): string {
  const sums = contextFiles(TRAINER_DIR)
    .filter((file) => !file.startsWith(`bench${path.sep}`))
    .map((file) => `docker/${file.split(path.sep).join('/')}`)
    .sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)) // LC_ALL=C order
    .map(
      (file) =>
        `${createHash('sha256')
          .update(fs.readFileSync(path.join(TRAINER_DIR, '..', file)))
          .digest('hex')}  ${file}\n`,
    )
    .join('');
  return createHash('sha256').update(sums).digest('hex').slice(0, 12);
}

/** Locally added CA certificates (a TLS-intercepting proxy), passed to pip in the build like the trainer's script does. */
function extraCaPem(): string {
  const dir = '/usr/local/share/ca-certificates';
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.crt'))
        .sort()
    : [];
  return files
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('')
    .replace(/\n+$/, '');
}

/**
 * The trainer image built from this checkout's docker/ on the CPU twin (the real Dockerfile, the
 * real build path), tagged `deit-trainer-test/trainer:<hash>` like scripts/test-trainer.sh (so
 * whichever suite runs first builds it) and built once per change. Fails loudly with the build's error.
 */
export async function testTrainerImage(docker: Dockerode): Promise<string> {
  if (!fs.existsSync(path.join(TRAINER_DIR, 'Dockerfile'))) {
    throw new Error(`${TRAINER_DIR}/Dockerfile is missing: merge the trainer branch into this one.`);
  }
  const hash = trainerHash();
  const tag = `deit-trainer-test/trainer:${hash}`;
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
      buildargs: { BASE_IMAGE: TWIN_IMAGE, TRAINER_HASH: hash, EXTRA_CA_PEM: extraCaPem() },
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
