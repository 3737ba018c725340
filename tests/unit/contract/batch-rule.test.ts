import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchSizeEvent } from '../../../electron/contract';
import { BATCH_RULE, chooseBatch, describeBatch } from '../../../electron/contract/batch-rule';

interface Case {
  n_train: number;
  fitted: number;
  device: 'cuda' | 'cpu';
  batch_size: number;
  steps_per_epoch: number;
  limit: string;
}

// One table for both languages: tests/trainer/test_batching.py reads the same file.
const table = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../docker/protocol/fixtures/batch-rule-cases.json'), 'utf8'),
) as { cases: Case[] };

describe('chooseBatch (the trainer’s automatic batch size rule)', () => {
  it.each(table.cases.map((c) => [`${c.n_train} images, ${c.fitted} fit, ${c.device}`, c] as const))(
    'agrees with the shared table: %s',
    (_, c) => {
      expect(chooseBatch(c.n_train, c.fitted, c.device)).toEqual({
        batchSize: c.batch_size,
        stepsPerEpoch: c.steps_per_epoch,
        limit: c.limit,
      });
    },
  );

  it('gives at least 30 steps per epoch unless the batch is already at its floor of 16', () => {
    for (let n = 1; n < 5000; n += 1) {
      const c = chooseBatch(n, 512, 'cuda');
      expect(c.batchSize).toBeLessThanOrEqual(n);
      if (c.stepsPerEpoch < BATCH_RULE.minSteps) expect(c.batchSize).toBe(Math.min(BATCH_RULE.minBatch, n));
    }
  });

  it('refuses an empty training set', () => {
    expect(() => chooseBatch(0, 512, 'cuda')).toThrow(RangeError);
  });
});

describe('describeBatch (the Settings review line)', () => {
  it('on a GPU says "up to" the rule’s choice, since memory is only known when training starts', () => {
    const text = describeBatch(1000, 10, 'auto', 'gpu');
    expect(text).toContain('up to 32, fewer if GPU memory is smaller');
    expect(text).toContain('32 steps per epoch, 320 in all');
  });

  it('on the CPU states the choice itself', () => {
    expect(describeBatch(1438, 5, 'auto', 'cpu')).toBe(
      'auto: 32, the largest automatic batch on the processor — 45 steps per epoch, 225 in all',
    );
  });

  it('a set batch size shows its steps, capped at the training images', () => {
    expect(describeBatch(100, 3, 64, 'gpu')).toBe('64: 2 steps per epoch, 6 in all');
    expect(describeBatch(20, 2, 64, 'gpu')).toBe('20 (lowered to the 20 training images): 1 step per epoch, 2 in all');
  });
});

describe('the batch_size event', () => {
  const base = { v: 1, seq: 2, time: 1, type: 'batch_size', batch_size: 32, previous: null };

  it('carries what decided the batch size and why (optional: older trainers send neither)', () => {
    const why =
      'Batch size 32: the largest batch that still gives at least 30 steps per epoch over 1,000 training images.';
    expect(BatchSizeEvent.parse({ ...base, reason: 'auto', limit: 'steps', why })).toMatchObject({
      limit: 'steps',
      why,
    });
    expect(BatchSizeEvent.parse({ ...base, reason: 'config', limit: 'config' }).reason).toBe('config');
    expect(BatchSizeEvent.parse({ ...base, reason: 'auto' }).limit).toBeUndefined();
    expect(BatchSizeEvent.safeParse({ ...base, reason: 'auto', limit: 'vibes' }).success).toBe(false);
  });
});
