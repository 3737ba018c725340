import fs from 'node:fs';
import path from 'node:path';
import { RunSettings, type RunSettingsInput } from '../../electron/contract';
import { initialRunState, type RunStateFile } from '../../electron/core/runs/folder/run-files';
import { fixtureBytes } from './runs-fixtures';

/** Writes a run folder as the app and trainer would have left it, for history tests. */
export function writeRunFolder(
  runsDir: string,
  id: string,
  options: {
    settings: RunSettingsInput;
    state?: Partial<RunStateFile>;
    metricsFixture?: string;
    createdAt?: string;
  },
): string {
  const dir = path.join(runsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  const settings = RunSettings.parse(options.settings);
  const record = {
    version: 1,
    id,
    name: `run ${id}`,
    createdAt: options.createdAt ?? '2026-11-27T23:40:00.000Z',
    settings,
    image: null,
  };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify({ ...initialRunState(), ...options.state }));
  if (options.metricsFixture) fs.writeFileSync(path.join(dir, 'metrics.jsonl'), fixtureBytes(options.metricsFixture));
  return dir;
}
