import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, RunSettings } from '../../../../../electron/contract';
import { EventBus } from '../../../../../electron/core/event-bus';
import { studioPaths } from '../../../../../electron/core/paths';
import { runIdKey } from '../../../../../electron/core/runs/folder/run-id';
import { RunService } from '../../../../../electron/core/runs/lifecycle/run-service';
import { tempDir, waitFor } from '../../../../helpers/runs-temp';

// Run ids that differ in case or by a trailing dot name one folder on macOS and Windows (issue 17):
// the "is this run live" checks must see through them. A run kept in 'preparing' (Docker does not
// answer until the test lets it fail) is a real live run of the real RunService.

let dir: string;
let cleanup: () => void;
let release: () => void;
let service: RunService;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('deit-run-id-case-'));
  fs.mkdirSync(path.join(dir, 'dataset', 'a'), { recursive: true });
  const waiting = new Promise<never>((_, reject) => {
    release = () => reject(new AppError('docker_unreachable', 'Docker is not answering.'));
  });
  waiting.catch(() => undefined);
  const docker = () => waiting;
  service = new RunService({ docker, paths: studioPaths(dir), bus: new EventBus(), trainerImage: () => waiting });
});
afterEach(async () => {
  release();
  await service.close();
  cleanup();
});

async function liveRun(): Promise<string> {
  const settings = RunSettings.parse({
    datasetPath: path.join(dir, 'dataset'),
    modelId: 'deit_tiny_patch16_224',
    device: 'cpu',
  });
  const { id } = await service.create(settings);
  await waitFor(() => service.liveRun(id)?.state.status === 'preparing', 10_000, 'the run to be preparing');
  return id;
}

describe('a case variant of a live run id', () => {
  it('cannot delete the running run', async () => {
    const id = await liveRun();
    for (const variant of [id.toUpperCase(), `${id}.`, `${id.toUpperCase()}..`]) {
      await expect(service.delete(variant)).rejects.toMatchObject({ kind: 'busy' });
    }
    expect(fs.existsSync(path.join(studioPaths(dir).runsDir, id))).toBe(true);
  });

  it('cannot start a second container on its folder', async () => {
    const id = await liveRun();
    await expect(service.resume(id.toUpperCase())).rejects.toMatchObject({ kind: 'busy' });
    await expect(service.resume(`${id}.`)).rejects.toMatchObject({ kind: 'busy' });
  });

  it('is the live run for runs.get', async () => {
    const id = await liveRun();
    expect(service.liveRun(id.toUpperCase())?.id).toBe(id);
    expect((await service.summary(`${id}.`)).id).toBe(id);
  });
});

describe('runs.create', () => {
  it('refuses / and a relative dataset path, and keeps the normalised path', async () => {
    const parse = (datasetPath: string) =>
      RunSettings.parse({ datasetPath, modelId: 'deit_tiny_patch16_224', device: 'cpu' });
    await expect(service.create(parse('/'))).rejects.toMatchObject({ kind: 'validation' });
    await expect(service.create(parse('/proc'))).rejects.toMatchObject({ kind: 'validation' });
    await expect(service.create(parse('dataset'))).rejects.toMatchObject({ kind: 'validation' });
    expect(fs.readdirSync(dir)).toEqual(['dataset']); // no run folder was made
    const { id } = await service.create(parse(`${dir}/x/../dataset/`));
    expect(service.liveRun(id)?.record.settings.datasetPath).toBe(path.join(dir, 'dataset'));
  });
});

describe('runIdKey', () => {
  it('folds case and trailing dots only', () => {
    expect(runIdKey('20261203-1200-ABC.')).toBe('20261203-1200-abc');
    expect(runIdKey('a.b')).toBe('a.b');
  });
});
