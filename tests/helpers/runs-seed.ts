import type Dockerode from 'dockerode';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const TRAINER_TESTS = path.resolve(__dirname, '../trainer');

/**
 * A tiny learnable dataset (the trainer's own generator) and a fake Hugging Face cache with the
 * model's weights (random, real layout), made once inside the trainer image as the test's user.
 */
export async function seedDatasetAndWeights(
  docker: Dockerode,
  image: string,
  out: string,
  options: { model: string; classes: number; perClass: number },
): Promise<{ dataset: string; weights: string }> {
  for (const script of ['make_dataset.py', 'make_fake_weights.py']) {
    if (!fs.existsSync(path.join(TRAINER_TESTS, script))) {
      throw new Error(`tests/trainer/${script} is missing: merge the trainer branch into this one.`);
    }
  }
  fs.mkdirSync(out, { recursive: true });
  const command =
    `python /tests/make_dataset.py --out /out/dataset --classes ${options.classes} --per-class ${options.perClass} && ` +
    `python /tests/make_fake_weights.py --out /out/weights --model ${options.model}`;
  const container = await docker.createContainer({
    Image: image,
    name: `deit-runs-test-seed-${process.pid}-${Date.now()}`,
    Cmd: ['sh', '-c', command],
    User: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
    Labels: { 'deit-runs-test': 'seed' },
    HostConfig: {
      NetworkMode: 'none',
      Mounts: [
        { Type: 'bind', Source: TRAINER_TESTS, Target: '/tests', ReadOnly: true },
        { Type: 'bind', Source: out, Target: '/out', ReadOnly: false },
      ],
    },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) {
      const logs = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
      throw new Error(`Seeding the dataset and weights failed (exit ${StatusCode}):\n${logs.toString('utf8')}`);
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
  return { dataset: path.join(out, 'dataset'), weights: path.join(out, 'weights') };
}

/** A hash of every file under a folder (paths, contents, modes): proof that a run never wrote to it. */
export function folderHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (rel: string) => {
    for (const entry of fs
      .readdirSync(path.join(root, rel), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = path.join(rel, entry.name);
      const stat = fs.lstatSync(path.join(root, child));
      hash.update(`${child}\0${stat.mode}\0${stat.mtimeMs}\0`);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) hash.update(fs.readFileSync(path.join(root, child)));
    }
  };
  walk('');
  return hash.digest('hex');
}
