import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCore, type StudioCore } from '../../electron/core/app-core';

/** A real core in a temporary data folder, with background services off. */
export async function createTestCore(
  options: { pickFolder?: (title?: string) => Promise<string | null> } = {},
): Promise<{ core: StudioCore; dataDir: string; dispose(): Promise<void> }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-shell-'));
  const core = await createCore({
    shell: 'desktop',
    version: '9.8.7',
    dataDir,
    trainerDir: path.join(dataDir, 'docker'),
    background: false,
    pickFolder: options.pickFolder ?? (async () => '/data/cats'),
    openPath: async () => true,
  });
  return {
    core,
    dataDir,
    async dispose() {
      await core.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
