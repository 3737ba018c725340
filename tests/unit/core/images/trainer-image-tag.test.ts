import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listContextFiles, trainerImageTag } from '../../../../electron/core/images/trainer-image-tag';

let dir: string;
const BASE = 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime';

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-ctx-'));
  await fs.mkdir(path.join(dir, 'deit_trainer', '__pycache__'), { recursive: true });
  await fs.writeFile(path.join(dir, 'Dockerfile'), 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n');
  await fs.writeFile(path.join(dir, 'deit_trainer', 'train.py'), 'print("train")\n');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('trainerImageTag', () => {
  it('is deit-studio/trainer:<12 hex> and stable', async () => {
    const tag = await trainerImageTag(dir, BASE);
    expect(tag).toMatch(/^deit-studio\/trainer:[0-9a-f]{12}$/);
    expect(await trainerImageTag(dir, BASE)).toBe(tag);
  });

  it('changes when a trainer file or the base image changes', async () => {
    const tag = await trainerImageTag(dir, BASE);
    expect(await trainerImageTag(dir, 'deit-studio/base-cpu:trixie')).not.toBe(tag);
    await fs.writeFile(path.join(dir, 'deit_trainer', 'train.py'), 'print("train v2")\n');
    expect(await trainerImageTag(dir, BASE)).not.toBe(tag);
  });

  it('ignores Python caches, which do not change the image', async () => {
    const tag = await trainerImageTag(dir, BASE);
    await fs.writeFile(path.join(dir, 'deit_trainer', '__pycache__', 'train.cpython-313.pyc'), 'x');
    await fs.writeFile(path.join(dir, 'stray.pyc'), 'x');
    expect(await trainerImageTag(dir, BASE)).toBe(tag);
    expect(await listContextFiles(dir)).toEqual(['Dockerfile', 'deit_trainer/train.py']);
  });

  it('notices a script becoming executable', async () => {
    const tag = await trainerImageTag(dir, BASE);
    await fs.chmod(path.join(dir, 'deit_trainer', 'train.py'), 0o755);
    expect(await trainerImageTag(dir, BASE)).not.toBe(tag);
  });

  it('leaves out what .dockerignore excludes, but hashes the .dockerignore itself', async () => {
    await fs.mkdir(path.join(dir, 'bench'));
    await fs.writeFile(path.join(dir, 'bench', 'speed.py'), 'x');
    const before = await trainerImageTag(dir, BASE);
    await fs.writeFile(path.join(dir, '.dockerignore'), 'bench\n');
    const withIgnore = await trainerImageTag(dir, BASE);
    expect(withIgnore).not.toBe(before);
    expect(await listContextFiles(dir)).toEqual(['.dockerignore', 'Dockerfile', 'deit_trainer/train.py']);
    await fs.writeFile(path.join(dir, 'bench', 'speed.py'), 'changed');
    expect(await trainerImageTag(dir, BASE)).toBe(withIgnore);
  });
});
