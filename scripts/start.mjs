// npm start: builds the app, then opens the desktop window (Electron).
// Electron downloads its program once, on the first start. When that cannot happen (no internet, a
// proxy, a blocked download), this says so in plain words, with the fix and the browser alternative,
// instead of a stack trace.
// Usage: node scripts/start.mjs [--no-build] [ELECTRON ARGS...]
//   --no-build  skip the build (dist/ is already up to date)
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const electronArgs = args.filter((a) => a !== '--no-build');

if (build) {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

let electron;
try {
  // The `electron` package's main module is the path of its program; it downloads it when missing.
  electron = createRequire(path.join(root, 'package.json'))('electron');
} catch {
  // (Electron's own message above says what failed; its advice to delete node_modules is not needed.)
  console.error(
    [
      '',
      'DeiT Studio could not open its desktop window: the Electron program is not installed yet and',
      'downloading it failed (see the lines above).',
      'Fix: connect this computer to the internet and run `npm start` again; Electron is downloaded once',
      '(about 100 MB). Behind a proxy, set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1 first.',
      'Or use DeiT Studio in your browser, which needs no Electron: `npm run serve` (see README.md).',
    ].join('\n'),
  );
  process.exit(1);
}

const child = spawn(electron, ['.', ...electronArgs], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(`DeiT Studio could not start Electron (${electron}): ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
