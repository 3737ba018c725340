// The esbuild options of the app's bundles, in one place: scripts/build.mjs builds with them, and the
// tests that check a bundle's contents (tests/shell/preload.test.ts, electron-builder-config.test.ts)
// bundle with the very same options, so a test cannot pass on options the build no longer uses.
// Usage: import { mainBundle } from './esbuild-options.mjs'; await build({ ...mainBundle, write: false });
// Types: esbuild-options.d.mts.
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const node = { bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' };

/**
 * dist/electron/main.cjs, the Electron main process. The packaged app ships no node_modules but
 * sharp's: main.cjs carries every other dependency. ssh2's optional native parts (cpu-features, *.node)
 * are loaded in try/catch and fall back to JavaScript. sharp (the near-duplicate check's image decoder)
 * is native: it ships unpacked (electron-builder.yml).
 */
export const mainBundle = {
  ...node,
  target: 'node22',
  entryPoints: [path.join(root, 'electron/main/main.ts')],
  outfile: path.join(root, 'dist/electron/main.cjs'),
  external: ['electron', 'cpu-features', '*.node', 'sharp'],
  // import('sharp') becomes require('sharp'): CommonJS loading, which Electron redirects to app.asar.unpacked.
  supported: { 'dynamic-import': false },
};

/** dist/electron/preload.cjs: a sandboxed preload must be one CommonJS file that requires nothing but electron. */
export const preloadBundle = {
  ...node,
  target: 'node22',
  entryPoints: [path.join(root, 'electron/preload/preload.ts')],
  outfile: path.join(root, 'dist/electron/preload.cjs'),
  external: ['electron'],
};

/** dist/serve/serve.cjs, serve mode (npm run serve): its packages come from node_modules. */
export const serveBundle = {
  ...node,
  entryPoints: [path.join(root, 'electron/serve/serve.ts')],
  outfile: path.join(root, 'dist/serve/serve.cjs'),
  packages: 'external',
};

/**
 * dist/renderer/sw.js, serve mode's service worker (renderer/src/sw.ts), told the build's asset names
 * and a build id (new bytes with every build, so browsers install the new one).
 */
export function serviceWorkerBundle({ assets, buildId }) {
  return {
    bundle: true,
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
    entryPoints: [path.join(root, 'renderer/src/sw.ts')],
    outfile: path.join(root, 'dist/renderer/sw.js'),
    define: { DEIT_SHELL_ASSETS: JSON.stringify(assets), DEIT_SHELL_BUILD: JSON.stringify(buildId) },
  };
}
