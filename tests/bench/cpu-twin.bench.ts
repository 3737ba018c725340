// The trainer image on the processor (the CPU twin of the PyTorch 2.6 image): matmul GFLOP/s, DeiT-Ti
// training img/s at 32 and 224 px, and "Try the model" (predict) img/s — with the BLAS the twin ships
// (OpenBLAS) and, in the same run, with Debian's reference BLAS it loaded before (the baseline:
// LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas puts the reference libblas.so.3 first).
// Needs the private Docker Engine (`eval "$(bash scripts/test-env.sh | grep ^export)"`).
// Run: npm run bench -- cpu-twin     (CPU_BENCH_QUICK=1 for a smoke run)
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { testDocker, requireTwinImage } from '../helpers/docker-env';
import { testTrainerImage, TRAINER_DIR } from '../helpers/runs-trainer-image';

interface CpuFigures {
  blas: string;
  threads: number;
  matmul_gflops: number;
  train_img_per_s_32px: number;
  train_img_per_s_224px: number;
  predict_img_per_s_224px: number;
}

function measure(image: string, env: string[]): CpuFigures {
  const args = ['run', '--rm', '--network', 'none', '--user', '1000:1000', '--security-opt', 'no-new-privileges'];
  for (const e of env) args.push('-e', e);
  args.push('-v', `${path.join(TRAINER_DIR, 'bench')}:/bench:ro`, image, 'python', '/bench/cpu_bench.py');
  if (process.env.CPU_BENCH_QUICK) args.push('--quick');
  const run = spawnSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as CpuFigures;
}

const docker = await testDocker();
await requireTwinImage(docker);
const image = await testTrainerImage(docker);
const load = () => os.loadavg()[0]!.toFixed(2);
console.log(`trainer image ${image}; load average before: ${load()}`);
const shipped = measure(image, []);
console.log('twin as shipped ', JSON.stringify(shipped), `load ${load()}`);
const reference = measure(image, ['LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas']);
console.log('reference BLAS  ', JSON.stringify(reference), `load ${load()}`);
if (shipped.blas !== 'openblas' || reference.blas !== 'reference') {
  throw new Error(`expected openblas vs reference, measured ${shipped.blas} vs ${reference.blas}`);
}
const ratio = (k: keyof CpuFigures) => Number(((shipped[k] as number) / (reference[k] as number)).toFixed(1));
console.log(
  `speed-up: matmul ${ratio('matmul_gflops')}x, train 32 px ${ratio('train_img_per_s_32px')}x, ` +
    `train 224 px ${ratio('train_img_per_s_224px')}x, predict ${ratio('predict_img_per_s_224px')}x`,
);
console.log(`BENCH ${JSON.stringify({ name: 'cpu-twin', shipped, reference, loadAfter: Number(load()) })}`);
