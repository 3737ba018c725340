import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_IDS, RunSettings, type RunSettingsInput } from '../../../electron/contract';
import { toTrainerConfig } from '../../../electron/core/runs/folder/trainer-config';

// The config file the app writes for a run, checked against the schema the trainer itself enforces:
// docker/protocol/config.schema.json, generated from docker/deit_trainer/config.py. Unknown keys,
// out-of-range values or wrong types there mean a run that fails with config_invalid.
const schema = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../docker/protocol/config.schema.json'), 'utf8'),
) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);
const base = { datasetPath: '/home/ann/flowers', modelId: 'deit_small_patch16_224' } as const;

function written(input: Partial<RunSettingsInput>) {
  // JSON round trip: what lands in config.json (undefined fields vanish as they do in the file).
  return JSON.parse(JSON.stringify(toTrainerConfig(RunSettings.parse({ ...base, ...input })))) as Record<
    string,
    Record<string, unknown>
  >;
}

describe('the trainer config the app writes', () => {
  it.each<[string, Partial<RunSettingsInput>]>([
    ['the wizard defaults', {}],
    ['a small CPU run', { device: 'cpu', epochs: 2, imgSize: 32, batchSize: 16, learningRate: 0.001, seed: 7 }],
    ['every limit at its end', { epochs: 1000, batchSize: 4096, imgSize: 1024, valRatio: 0.95, seed: 2 ** 31 - 1 }],
    ['the smallest values', { epochs: 1, batchSize: 1, imgSize: 16, valRatio: 0.01, learningRate: 1e-7 }],
    [
      'a full recipe',
      { augment: 'strong', ema: true, layerDecay: 1, classBalance: 'weights', earlyStoppingPatience: 5 },
    ],
    ['a linear probe in fp16', { freezeBackbone: true, precision: 'fp16', compile: false }],
    ['bf16 with torch.compile', { precision: 'bf16', compile: true, gpuIds: ['0', '1'] }],
    ['training from scratch', { pretrained: false, precision: 'fp32' }],
    ['a start from an earlier run', { initFromRunId: 'run-20260101-0001' }],
  ])('is valid against config.schema.json: %s', (_, input) => {
    const config = written(input);
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it.each(MODEL_IDS.map((id) => [id]))('is valid for model %s', (modelId) => {
    expect(validate(written({ modelId }))).toBe(true);
  });

  it('is checked by a schema that rejects what the trainer rejects', () => {
    const config = written({});
    expect(validate({ ...config, train: { ...config.train, epochs: 0 } })).toBe(false);
    expect(validate({ ...config, model: { ...config.model, name: 'vit_huge' } })).toBe(false);
    expect(validate({ ...config, data: { ...config.data, datasetPath: '/x' } })).toBe(false); // unknown key
  });
});
