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

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

const node = { bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' };

if (want('renderer')) {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  // Serve mode's service worker (renderer/src/sw.ts) next to index.html, told the build's asset names;
  // the build id changes its bytes with every build, so browsers install the new one.
  const out = path.join(root, 'dist/renderer');
  const assets = fs.readdirSync(path.join(out, 'assets')).sort();
  const build = crypto.createHash('sha256').update(fs.readFileSync(path.join(out, 'index.html')));
  for (const asset of assets) build.update(`\0${asset}`);
  await esbuild({
    bundle: true,
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
    entryPoints: [path.join(root, 'renderer/src/sw.ts')],
    outfile: path.join(out, 'sw.js'),
    define: {
      DEIT_SHELL_ASSETS: JSON.stringify(assets),
      DEIT_SHELL_BUILD: JSON.stringify(build.digest('hex').slice(0, 16)),
    },
  });
}
if (want('electron')) {
  // The packaged app ships no node_modules but sharp's: main.cjs carries every other dependency. ssh2's
  // optional native parts (cpu-features, *.node) are loaded in try/catch and fall back to JavaScript.
  // sharp (the near-duplicate check's image decoder) is native: it ships unpacked (electron-builder.yml).
  await esbuild({
    ...node,
    target: 'node22',
    entryPoints: [path.join(root, 'electron/main/main.ts')],
    outfile: path.join(root, 'dist/electron/main.cjs'),
    external: ['electron', 'cpu-features', '*.node', 'sharp'],
    // import('sharp') becomes require('sharp'): CommonJS loading, which Electron redirects to app.asar.unpacked.
    supported: { 'dynamic-import': false },
  });
  // A sandboxed preload must be one CommonJS file that requires nothing but electron.
  await esbuild({
    ...node,
    target: 'node22',
    entryPoints: [path.join(root, 'electron/preload/preload.ts')],
    outfile: path.join(root, 'dist/electron/preload.cjs'),
    external: ['electron'],
  });
}
if (want('serve')) {
  await esbuild({
    ...node,
    entryPoints: [path.join(root, 'electron/serve/serve.ts')],
    outfile: path.join(root, 'dist/serve/serve.cjs'),
    packages: 'external',
  });
}
console.log(`Built ${only.length ? only.join(', ') : 'renderer, electron, serve'} into dist/.`);
