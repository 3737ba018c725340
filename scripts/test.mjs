// `npm test`: the whole suite, as CI runs it.
//   1. scripts/test-env.sh: Debian packages (installed when run as root), a private Docker Engine, the CPU twin image
//   2. type checks and lint          3. build dist/ (renderer, Electron bundles, serve mode)
//   4. Vitest: unit + shell tests, integration tests against the real Docker Engine, renderer component tests
//   5. fault injection (tests/faults): real runs while the container, the Docker Engine or the disk fails
//      (it stops, kills and restarts the private engine, and leaves it running)
//   6. the trainer's pytest suite inside the CPU twin image (scripts/test-trainer.sh)
//   7. Playwright: serve mode in Debian's Chromium
// A missing prerequisite fails loudly with how to get it; nothing is skipped.
// Run some stages only: npm test -- --only vitest,faults   (stages: env, static, build, vitest, faults, trainer, e2e)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : null;
const want = (stage) => !only || only.has(stage);
fs.mkdirSync('test-results', { recursive: true });

const results = [];
const counts = { passed: 0, failed: 0, skipped: 0 };

function run(stage, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n━━ ${stage}: ${[command, ...args].join(' ')}`);
  const child = spawnSync(command, args, {
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: process.env,
  });
  if (options.capture) process.stdout.write(child.stdout ?? '');
  const ok = child.status === 0;
  results.push({ stage, ok, seconds: Math.round((Date.now() - started) / 1000) });
  if (child.error) console.error(`${stage}: could not start ${command}: ${child.error.message}`);
  return { ok, stdout: child.stdout ?? '' };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

if (want('env')) {
  const env = run('test environment', 'bash', ['scripts/test-env.sh'], { capture: true });
  const exports = env.stdout
    .split('\n')
    .map((line) => /^export (\w+)=(.+)$/.exec(line.trim()))
    .filter(Boolean);
  if (!env.ok || !exports.some((m) => m[1] === 'DOCKER_HOST')) {
    console.error('\nThe test environment is not ready (see above). Nothing else can run for real.');
    process.exit(1);
  }
  for (const m of exports) process.env[m[1]] = m[2];
}

if (want('static')) {
  run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  run('lint', 'npm', ['run', '--silent', 'lint']);
}

if (want('build') || want('e2e')) run('build', 'npm', ['run', '--silent', 'build']);

/** Runs Vitest (all default projects, or the named one) and adds its JSON report to the counts. */
function vitest(stage, report, extraArgs = []) {
  fs.rmSync(report, { force: true });
  run(stage, 'npx', [
    'vitest',
    'run',
    ...extraArgs,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  const json = readJson(report);
  if (json) {
    counts.passed += json.numPassedTests ?? 0;
    counts.failed += (json.numFailedTests ?? 0) + (json.numRuntimeErrorTests ?? 0);
    counts.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  } else counts.failed += 1;
}

if (want('vitest')) vitest('vitest', 'test-results/vitest.json');

// Its own stage, after the integration tests: it takes the Docker Engine down and up again.
if (want('faults'))
  vitest('faults (Docker Engine, container and disk failures)', 'test-results/faults.json', ['--project', 'faults']);

if (want('trainer')) {
  if (!fs.existsSync('scripts/test-trainer.sh')) {
    console.error('scripts/test-trainer.sh is missing: the trainer tests cannot run.');
    results.push({ stage: 'trainer', ok: false, seconds: 0 });
    counts.failed += 1;
  } else {
    const trainer = run('trainer (pytest in the CPU twin)', 'bash', ['scripts/test-trainer.sh'], { capture: true });
    const summary = [...trainer.stdout.matchAll(/=+ (.*?) in [\d.]+s/g)].pop()?.[1] ?? '';
    const number = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(summary)?.[1] ?? 0);
    counts.passed += number('passed');
    counts.failed += number('failed') + number('error');
    counts.skipped += number('skipped');
    if (!trainer.ok && number('failed') + number('error') === 0) counts.failed += 1;
  }
}

if (want('e2e')) {
  const report = 'test-results/e2e-report.json';
  fs.rmSync(report, { force: true });
  run('e2e (Playwright + Chromium)', 'npx', ['playwright', 'test']);
  const stats = readJson(report)?.stats;
  if (stats) {
    counts.passed += stats.expected ?? 0;
    counts.failed += (stats.unexpected ?? 0) + (stats.flaky ?? 0);
    counts.skipped += stats.skipped ?? 0;
  } else counts.failed += 1;
}

console.log('\n━━ summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.stage} (${r.seconds} s)`);
const failedStages = results.filter((r) => !r.ok).length;
if (failedStages && counts.failed === 0) counts.failed = failedStages;
console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failedStages ? 1 : 0);
