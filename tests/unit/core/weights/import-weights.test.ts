import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls, RunSettings } from '../../../../electron/contract';
import { importWeightsContainerSpec } from '../../../../electron/core/docker/container-spec';
import { toTrainerConfig } from '../../../../electron/core/runs/folder/trainer-config';
import { hasPretrainedWeights } from '../../../../electron/core/weights/weights-cache';
import { weightsFetchFailure } from '../../../../electron/core/weights/weights-fetch';
import {
  readImported,
  removeImported,
  resolveWeightsFile,
  weightsStatus,
} from '../../../../electron/core/weights/import-weights';
import { useTempDirs } from '../../../helpers/temp-dirs';

const temp = useTempDirs('deit-weights-');

/** What `deit_trainer import-weights` leaves in the weights folder. */
function fakeImport(weightsDir: string, modelId: string): void {
  const folder = path.join(weightsDir, 'imported', modelId);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'model.safetensors'), 'x'.repeat(16));
  fs.writeFileSync(
    path.join(folder, 'source.json'),
    JSON.stringify({
      model: modelId,
      file: 'mine.safetensors',
      sha256: 'f'.repeat(64),
      bytes: 1234,
      format: 'safetensors',
      tensors: 150,
      head_dropped: [],
      imported_at: '2026-01-01T00:00:00Z',
    }),
  );
}

describe('weights.import input', () => {
  const input = calls['weights.import'].input;
  it('takes a known model and a .safetensors/.pth path', () => {
    expect(input.safeParse({ modelId: 'deit_tiny_patch16_224', file: '/d/model.safetensors' }).success).toBe(true);
    expect(input.safeParse({ modelId: 'deit_tiny_patch16_224', file: '/d/CKPT.PTH' }).success).toBe(true);
    expect(input.safeParse({ modelId: 'resnet50', file: '/d/model.safetensors' }).success).toBe(false);
    expect(input.safeParse({ modelId: 'deit_tiny_patch16_224', file: '/d/model.onnx' }).success).toBe(false);
    expect(input.safeParse({ modelId: 'deit_tiny_patch16_224', file: '' }).success).toBe(false);
    expect(calls['weights.removeImported'].input.safeParse({ modelId: 'deit_tiny_patch16_224' }).success).toBe(false);
  });
});

describe('resolveWeightsFile', () => {
  it('accepts a full path of an existing weights file, ~ expanded', async () => {
    const dir = temp();
    const file = path.join(dir, 'model.safetensors');
    fs.writeFileSync(file, 'weights');
    expect(await resolveWeightsFile(` ${file} `)).toBe(file);
    const home = path.join(os.homedir(), '.deit-test-weights.pth');
    fs.writeFileSync(home, 'weights');
    try {
      expect(await resolveWeightsFile('~/.deit-test-weights.pth')).toBe(home);
    } finally {
      fs.rmSync(home);
    }
  });

  it('refuses relative paths, other formats, missing, empty files and folders, saying what to do', async () => {
    const dir = temp();
    await expect(resolveWeightsFile('model.safetensors')).rejects.toMatchObject({ kind: 'validation' });
    await expect(resolveWeightsFile(path.join(dir, 'model.onnx'))).rejects.toMatchObject({
      message: 'model.onnx is not a weights file DeiT Studio can read.',
    });
    await expect(resolveWeightsFile(path.join(dir, 'gone.safetensors'))).rejects.toMatchObject({ kind: 'not_found' });
    fs.writeFileSync(path.join(dir, 'empty.pth'), '');
    await expect(resolveWeightsFile(path.join(dir, 'empty.pth'))).rejects.toMatchObject({
      fix: expect.stringContaining('interrupted'),
    });
    fs.mkdirSync(path.join(dir, 'folder.safetensors'));
    await expect(resolveWeightsFile(path.join(dir, 'folder.safetensors'))).rejects.toMatchObject({
      message: expect.stringContaining('is not a file'),
    });
  });
});

describe('imported weights in the weights folder', () => {
  it('count as present weights (no download), are reported, and can be forgotten', async () => {
    const weights = temp();
    expect(await hasPretrainedWeights(weights, 'deit_tiny_patch16_224')).toBe(false);
    fakeImport(weights, 'deit_tiny_patch16_224');
    expect(await hasPretrainedWeights(weights, 'deit_tiny_patch16_224')).toBe(true);
    expect(await hasPretrainedWeights(weights, 'deit_small_patch16_224')).toBe(false);
    expect(await weightsStatus(weights, 'deit_tiny_patch16_224')).toEqual({
      modelId: 'deit_tiny_patch16_224',
      imported: {
        modelId: 'deit_tiny_patch16_224',
        file: 'mine.safetensors',
        sha256: 'f'.repeat(64),
        bytes: 1234,
        format: 'safetensors',
        importedAt: '2026-01-01T00:00:00Z',
      },
      downloaded: false,
    });
    expect(await removeImported(weights, 'deit_tiny_patch16_224')).toBe(true);
    expect(await readImported(weights, 'deit_tiny_patch16_224')).toBeNull();
    expect(await removeImported(weights, 'deit_tiny_patch16_224')).toBe(false);
  });
});

describe('importWeightsContainerSpec', () => {
  it('is locked down: no network, the user’s file read-only under its format’s extension, only /weights writable', () => {
    const spec = importWeightsContainerSpec({
      image: 'trainer:1',
      modelId: 'deit_tiny_patch16_224',
      file: '/home/ann/Downloads/My Model.PTH',
      weightsDir: '/d/weights',
      user: { uid: 1000, gid: 1000 },
      dataDir: '/d',
      namePrefix: 'deit-studio',
    });
    expect(spec.Cmd).toEqual([
      'python',
      '-m',
      'deit_trainer',
      'import-weights',
      '--model',
      'deit_tiny_patch16_224',
      '--file',
      '/in/weights.pth',
      '--weights-dir',
      '/weights',
      '--name',
      'My Model.PTH',
    ]);
    expect(spec.HostConfig).toMatchObject({
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
    });
    expect(spec.HostConfig!.Mounts).toEqual([
      { Type: 'bind', Source: '/home/ann/Downloads/My Model.PTH', Target: '/in/weights.pth', ReadOnly: true },
      { Type: 'bind', Source: '/d/weights', Target: '/weights', ReadOnly: false },
    ]);
    expect(spec.Env).toContain('HF_HUB_OFFLINE=1');
    expect(spec.User).toBe('1000:1000');
    expect(spec.Labels).toEqual({ 'deit-studio.role': 'import-weights', 'deit-studio.data-dir': '/d' });
  });
});

describe('starting weights of a run', () => {
  it('from scratch is pretrained=false in the trainer config; an earlier run’s checkpoint wins over both', () => {
    const base = { datasetPath: '/data', modelId: 'deit_tiny_patch16_224' } as const;
    expect(toTrainerConfig(RunSettings.parse(base)).model.pretrained).toBe(true);
    expect(toTrainerConfig(RunSettings.parse({ ...base, pretrained: false })).model.pretrained).toBe(false);
    const fromRun = toTrainerConfig(RunSettings.parse({ ...base, initFromRunId: 'r1' }));
    expect(fromRun.model).toMatchObject({ pretrained: false, init_checkpoint: '/init/best.pt' });
  });

  it('a failed download offers the ways forward in plain words, keeping the trainer’s reason', () => {
    const failure = weightsFetchFailure({
      exitCode: 4,
      error: {
        v: 1,
        seq: 0,
        time: 0,
        type: 'error',
        kind: 'weights_missing',
        message: 'The weights could not be downloaded: the hub could not be reached.',
        fix: "Or turn off 'pretrained'.",
        detail: 'ConnectionError: ...',
      },
      tail: [],
    });
    expect(failure.message).toBe('The weights could not be downloaded: the hub could not be reached.');
    expect(failure.fix).toMatch(/internet connection/);
    expect(failure.fix).toMatch(/proxy or a Hugging Face mirror on the Environment page/);
    expect(failure.fix).toMatch(/Import weights…/);
    expect(failure.fix).toMatch(/train from scratch .*much weaker model/);
    expect(failure.fix).not.toMatch(/pretrained'/);
    expect(failure.detail).toBe('ConnectionError: ...');
  });
});
