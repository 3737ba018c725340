// Recipe benchmark (issue 13): today's trainer (commit 5ba95e1) against this checkout's on scikit-learn's
// 8×8 digits and two variants (few images; a long-tailed class imbalance), from scratch on the CPU, same
// epochs, the batch size decided as on an 80 GB GPU. docker/bench/recipe_bench.py does the work (its
// docstring says what is measured); this file finds the trainer image and the host Python.
// Needs the private Docker Engine and the test Python (`eval "$(bash scripts/test-env.sh | grep ^export)"`),
// and pip access to PyPI once (the digits come from the scikit-learn wheel).
// Run: npm run bench:recipe     (RECIPE_BENCH_SEEDS="0 1 2", RECIPE_BENCH_EPOCHS=10 by default)
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { requireTwinImage, testDocker } from '../helpers/docker-env';
import { testTrainerImage, TRAINER_DIR } from '../helpers/runs-trainer-image';

const python = process.env.DEIT_TRAINER_PYTHON;
if (!python) {
  throw new Error('DEIT_TRAINER_PYTHON is not set: run eval "$(bash scripts/test-env.sh | grep ^export)" first.');
}
const docker = await testDocker();
await requireTwinImage(docker);
const image = await testTrainerImage(docker);
const root = path.resolve(TRAINER_DIR, '..');
const seeds = (process.env.RECIPE_BENCH_SEEDS ?? '0 1 2').split(/\s+/).filter(Boolean);
const epochs = process.env.RECIPE_BENCH_EPOCHS ?? '10';
console.log(`trainer image ${image}; ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`);
const run = spawnSync(
  python,
  [
    path.join(TRAINER_DIR, 'bench', 'recipe_bench.py'),
    '--image',
    image,
    '--seeds',
    ...seeds,
    '--epochs',
    epochs,
    '--out',
    path.join(root, 'dist', 'bench-recipe'),
  ],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] },
);
if (run.status !== 0) throw new Error(`recipe_bench.py failed (exit ${run.status})`);
