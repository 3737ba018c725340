import { build } from 'esbuild';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Bundles tests/helpers/runs-child-core.ts into `<repo>/.cache/<folder>/child-core-<pid>.mjs` and
 * returns its path: a core that a test runs as a separate process, to kill it mid-run. Bundled inside
 * the repo so that its packages resolve from node_modules.
 */
export async function bundleChildCore(folder: string): Promise<string> {
  const outfile = path.join(ROOT, '.cache', folder, `child-core-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(ROOT, 'tests/helpers/runs-child-core.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}
