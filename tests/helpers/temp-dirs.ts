import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/**
 * Fresh temp folders for the tests of one file, each removed after the test that made it. Call at the
 * top of the file (it registers its own `afterEach`):
 *   const temp = useTempDirs('deit-weights-');
 *   it('...', () => { const dir = temp(); ... });
 * (For one folder with an explicit cleanup, see `tempDir` in runs-temp.ts.)
 */
export function useTempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
