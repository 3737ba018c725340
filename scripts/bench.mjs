// Runs the benchmarks in tests/bench/*.bench.ts (or the ones named on the command line).
// Each file is bundled with esbuild and run with this Node; it prints its own figures and may
// print one line `BENCH {json}` that is collected into bench-results.json for docs/benchmarks.md.
// Usage: npm run bench [-- name ...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const benchDir = path.join(root, 'tests', 'bench');
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`No benchmarks match ${wanted.join(' ') || '(all)'} in tests/bench/.`);
  process.exit(1);
}
// Inside the repository, so the bundles' external packages resolve from node_modules.
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
const outDir = fs.mkdtempSync(path.join(root, 'dist', 'bench-'));
const results = [];
let failed = 0;
for (const file of files) {
  const outfile = path.join(outDir, file.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [path.join(benchDir, file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    // tests/helpers use __dirname (CommonJS under vitest). In this ESM bundle it is the bundle's folder,
    // dist/bench-*/, as deep as tests/helpers/, so their '../..' paths still reach the repository root.
    banner: {
      js: "import { fileURLToPath as __benchUrl } from 'node:url'; const __dirname = __benchUrl(new URL('.', import.meta.url));",
    },
  });
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, [outfile], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(run.stdout);
  if (run.status !== 0) failed += 1;
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('BENCH ')) results.push({ file, ...JSON.parse(line.slice(6)) });
  }
}
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};
fs.writeFileSync(
  path.join(root, 'bench-results.json'),
  JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2),
);
console.log(`\nWrote bench-results.json (${results.length} figures).`);
process.exit(failed ? 1 : 0);
