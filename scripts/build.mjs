// Builds everything the app runs: the renderer (Vite) and the Node bundles (esbuild):
//   dist/renderer/            the UI, loaded by the Electron window and by serve mode
//   dist/electron/main.cjs    Electron main process
//   dist/electron/preload.cjs sandboxed preload: one CommonJS file with nothing but `electron` external
//   dist/serve/serve.cjs      serve mode (npm run serve)
import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

const node = { bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' };

if (want('renderer')) {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
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
