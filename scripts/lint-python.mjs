// Lints the Python code (the trainer, its benchmarks and tests, scripts/*.py) with ruff, as set in
// pyproject.toml. Part of `npm run lint`. ruff comes with the test Python environment that
// scripts/test-env.sh installs from tests/requirements-host.txt; without it this fails saying how to get it.
// Usage: node scripts/lint-python.mjs [ruff check arguments, e.g. --fix]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const state = process.env.DEIT_TEST_STATE ?? '/var/cache/deit-studio-test'; // as scripts/test-env.sh
const venvRuff = path.join(state, 'pyenv', 'bin', 'ruff');

/** ruff beside the test Python (DEIT_TRAINER_PYTHON, set by test-env.sh), in its default place, or on PATH. */
function findRuff() {
  const python = process.env.DEIT_TRAINER_PYTHON;
  const beside = python ? [path.join(path.dirname(python), 'ruff')] : [];
  for (const candidate of [...beside, venvRuff]) if (fs.existsSync(candidate)) return candidate;
  const onPath = spawnSync('ruff', ['--version'], { stdio: 'ignore' });
  return onPath.status === 0 ? 'ruff' : null;
}

const ruff = findRuff();
if (!ruff) {
  const requirements = path.join(root, 'tests', 'requirements-host.txt');
  const pinned = fs.readFileSync(requirements, 'utf8').match(/^ruff==\S+/m)?.[0] ?? 'ruff';
  console.error(
    'Python lint: ruff is not installed, so the Python code was not checked.\n' +
      `It comes with the test Python environment (${path.dirname(venvRuff)}): run \`sudo bash scripts/test-env.sh\`,\n` +
      `which installs tests/requirements-host.txt there. Or install the same version yourself: pip install ${pinned}`,
  );
  process.exit(1);
}
const run = spawnSync(ruff, ['check', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (run.error) {
  console.error(`Python lint: could not run ${ruff}: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
