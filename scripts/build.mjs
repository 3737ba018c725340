// Builds everything the app runs: the renderer (Vite) and the Node bundles (esbuild):
//   dist/renderer/            the UI, loaded by the Electron window and by serve mode
//   dist/renderer/sw.js       serve mode's service worker (the app shell for reloads while the server is down)
//   dist/electron/main.cjs    Electron main process
//   dist/electron/preload.cjs sandboxed preload: one CommonJS file with nothing but `electron` external
//   dist/serve/serve.cjs      serve mode (npm run serve)
import { build as esbuild } from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build as viteBuild } from 'vite';
import { mainBundle, preloadBundle, serveBundle, serviceWorkerBundle } from './esbuild-options.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (want('renderer')) {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  // Serve mode's service worker (renderer/src/sw.ts) next to index.html, told the build's asset names;
  // the build id changes its bytes with every build, so browsers install the new one.
  const out = path.join(root, 'dist/renderer');
  const assets = fs.readdirSync(path.join(out, 'assets')).sort();
  const build = crypto.createHash('sha256').update(fs.readFileSync(path.join(out, 'index.html')));
  for (const asset of assets) build.update(`\0${asset}`);
  await esbuild(serviceWorkerBundle({ assets, buildId: build.digest('hex').slice(0, 16) }));
}
// Options and the reasons for them: scripts/esbuild-options.mjs (the bundle tests use them too).
if (want('electron')) {
  await esbuild(mainBundle);
  await esbuild(preloadBundle);
}
if (want('serve')) await esbuild(serveBundle);
console.log(`Built ${only.length ? only.join(', ') : 'renderer, electron, serve'} into dist/.`);
